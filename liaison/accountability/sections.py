"""The sections this app adds to other apps' detail pages (registered in apps.py): the
incidents implicating an organisation or a person (flagged when established), a unit's
chain of command on a date (`?on=YYYY-MM-DD`), and, on a vetting request, the incidents
implicating its subject for the vetting officer (shown, never an automatic refusal)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.accountability import queries
from liaison.accountability.models import Implication, Incident
from liaison.accountability.queries import during
from liaison.core.querysets import visible
from liaison.events.dates import when
from liaison.partners.models import Position


@dataclass
class IncidentItem:
    """An incident as one line of a related list: its name, status and dates."""

    incident: Incident
    role: str = ""

    def get_absolute_url(self) -> str:
        return self.incident.get_absolute_url()

    def __str__(self) -> str:
        incident = self.incident
        status = incident.get_status_display()
        if incident.established:
            status = gettext("%(status)s by %(body)s") % {
                "status": status,
                "body": incident.established_by,
            }
        parts = [incident.title, str(status), when(incident), self.role]
        return " · ".join(p for p in parts if p)


def _title(base: Any, items: list[IncidentItem]) -> Any:
    """The section's title, flagged when one of its incidents is established."""
    if any(i.incident.established for i in items):
        return gettext("%(title)s (established incident)") % {"title": base}
    return base


def _incidents(request: HttpRequest, implications: Any) -> dict[str, Any]:
    items = [
        IncidentItem(i.incident, i.get_role_display())
        for i in implications.select_related("incident").order_by("-incident__start_date", "pk")
    ]
    title = _title(_("incidents implicating it"), items)
    return {"title": title, "rows": items, "count": len(items)}


def organization_incidents(request: HttpRequest, obj: Any) -> dict[str, Any]:
    return _incidents(request, visible(Implication, request.user).filter(organization=obj))


def person_incidents(request: HttpRequest, obj: Any) -> dict[str, Any]:
    return _incidents(request, visible(Implication, request.user).filter(person=obj))


def _on(request: HttpRequest) -> datetime.date:
    try:
        return datetime.date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        return timezone.localdate()


def chain_of_command(request: HttpRequest, obj: Any) -> dict[str, Any]:
    """Who commanded the unit and the units above it on the day asked (`?on=`)."""
    day = _on(request)
    rows = [
        p for _org, positions in queries.chain_of_command(obj, request.user, day) for p in positions
    ]
    title = gettext("chain of command on %(date)s") % {"date": date_format(day, "DATE_FORMAT")}
    return {"title": title, "rows": rows, "count": len(rows)}


def subject_incidents(request: HttpRequest, obj: Any) -> dict[str, Any]:
    """For the vetting officer: incidents implicating the unit, or the person, or the
    units the person served in at the time."""
    user = request.user
    implications = visible(Implication, user).select_related("incident")
    if obj.subject_organization_id:
        found = list(implications.filter(organization=obj.subject_organization_id))
    else:
        postings = list(visible(Position, user).filter(person=obj.subject_person_id))
        units = {p.organization_id for p in postings}
        found = []
        for implication in implications.filter(
            Q(person=obj.subject_person_id) | Q(organization__in=units)
        ):
            if implication.person_id == obj.subject_person_id or any(
                p.organization_id == implication.organization_id and during(implication.incident, p)
                for p in postings
            ):
                found.append(implication)
    items = [IncidentItem(i.incident, i.get_role_display()) for i in found]
    items.sort(key=lambda i: (not i.incident.established, i.incident.title))
    return {"title": _title(_("incidents implicating the subject"), items), "rows": items,
            "count": len(items)}  # fmt: skip
