"""Events and training sessions as an iCalendar feed (RFC 5545), one per workspace.

A calendar application cannot sign in, so each user has a secret key in the feed's
address (`core.CalendarToken`, made and replaced on the profile page). The feed shows
what that user may see (`visible_to`) of the records the workspace owns, and names no
linked record the user may not see (a hidden venue or course reads as withheld). A
wrong key, an inactive user or an unknown workspace answer 404, all alike.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from liaison.core.links import Withheld
from liaison.core.models import CalendarToken, Preference, Workspace
from liaison.core.querysets import visible
from liaison.events.models import Event
from liaison.training.models import Session

PRODID = "-//Liaison//Calendar feed//FR"


def token_for(user: Any) -> CalendarToken:
    """The user's calendar key, made on first use."""
    token = CalendarToken.objects.filter(user=user).first()
    return token or CalendarToken.objects.create(user=user, key=secrets.token_urlsafe(32))


def regenerate(user: Any) -> CalendarToken:
    """A new key: the feed addresses given out before stop working."""
    CalendarToken.objects.filter(user=user).delete()
    return CalendarToken.objects.create(user=user, key=secrets.token_urlsafe(32))


def _user_for(key: str) -> Any:
    if not key or len(key) > 64:
        return None
    token = CalendarToken.objects.filter(key=key).select_related("user").first()
    if token is None or not secrets.compare_digest(token.key, key) or not token.user.is_active:
        return None
    return token.user


def _entry(uid: str, summary: str, start: dt.date, end: dt.date | None, stamp: Any) -> Any:
    entry = CalendarEvent()
    entry.add("uid", uid)
    entry.add("dtstamp", stamp)
    entry.add("summary", summary)
    entry.add("dtstart", start)
    # All-day events: the end date is exclusive in iCalendar.
    entry.add("dtend", (end or start) + dt.timedelta(days=1))
    return entry


def build(user: Any, workspace: Workspace, base_url: str = "") -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", workspace.name)
    host = "liaison"
    events = list(
        visible(Event, user)
        .filter(owner=workspace, start_date__isnull=False)
        .select_related("country")
        .order_by("start_date", "pk")
    )
    for event in events:
        entry = _entry(
            f"event-{event.pk}@{host}",
            event.title,
            event.start_date,
            event.end_date,
            event.updated_at,
        )
        venue = event.venue
        where = [
            event.locality,
            "" if venue is None or isinstance(venue, Withheld) else str(venue),
            str(event.country) if event.country else "",
        ]
        if any(where):
            entry.add("location", ", ".join(w for w in where if w))
        details = [event.topic, event.description]
        if any(details):
            entry.add("description", "\n\n".join(d for d in details if d))
        entry.add("categories", [event.get_kind_display()])
        if base_url:
            entry.add("url", base_url + event.get_absolute_url())
        calendar.add_component(entry)
    sessions = list(
        visible(Session, user)
        .filter(owner=workspace, start_date__isnull=False)
        .order_by("start_date", "pk")
    )
    for session in sessions:
        entry = _entry(
            f"session-{session.pk}@{host}",
            str(session),
            session.start_date,
            session.end_date,
            session.updated_at,
        )
        entry.add("categories", [_("Training session")])
        entry.add("status", "CANCELLED" if session.status == "cancelled" else "CONFIRMED")
        if base_url:
            entry.add("url", base_url + session.get_absolute_url())
        calendar.add_component(entry)
    return calendar


@never_cache
@require_GET
def feed(request: HttpRequest, workspace: str, key: str) -> HttpResponse:
    user = _user_for(key)
    place = Workspace.objects.filter(slug=workspace).first()
    if user is None or place is None:
        raise Http404
    preference = Preference.objects.filter(user=user).values_list("language", flat=True).first()
    with translation.override(preference or translation.get_language()):
        calendar = build(user, place, request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{place.slug}.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
