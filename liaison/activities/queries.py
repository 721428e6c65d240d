"""Querysets shared by the activity pages: what a user may see of the records linked to
an activity, a request or an assignment, and the rules of "answered" and of age.

Linked records (an activity's agreement, a request's requester...) have their own
release: many-to-many links are prefetched here through `visible()`; foreign keys are
withheld by the generic list view from the table's columns, and by the
detail page from its summary (core.links).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from liaison.activities.choices import ParticipationRole, RequestStatus
from liaison.activities.models import (
    Activity,
    ActivityParticipation,
    ActivityPlace,
    Agreement,
    Assignment,
    Request,
)
from liaison.core.querysets import visible
from liaison.partners.models import Organization

# IATI "funding" and "extending" organisations are the donors of an activity.
DONOR_ROLES = (ParticipationRole.FUNDING, ParticipationRole.EXTENDING)
# Requests still waiting for an answer (declined and withdrawn ones are closed).
OPEN_REQUEST_STATUSES = (RequestStatus.RECEIVED, RequestStatus.UNDER_STUDY)


def shown_participations(user: Any, of_visible_activities: bool = False) -> QuerySet[Any]:
    """Participations the user sees, of organisations the user sees. Prefetched for
    activities already read through `visible()` (`of_visible_activities`), the activity's
    own release is not checked a second time: the database would otherwise read every
    visible activity again for each page of fifty."""
    participations = (
        ActivityParticipation.objects.all()
        if of_visible_activities
        else visible(ActivityParticipation, user)
    )
    return (
        participations.filter(organization__in=visible(Organization, user).values("pk"))
        .select_related("organization")
        .order_by("organization__name_fr", "organization__name_en")
    )


def activity_rows(user: Any) -> QuerySet[Any]:
    """Activities with what their list and exports show, in a fixed number of queries."""
    return (
        visible(Activity, user)
        .select_related("owner", "marking")
        .prefetch_related(
            Prefetch(
                "participations",
                queryset=shown_participations(user, of_visible_activities=True),
                to_attr="shown_participations",
            ),
            Prefetch(
                "places",
                # Places follow their activity, read through visible() above.
                queryset=ActivityPlace.objects.select_related("country", "subdivision"),
                to_attr="shown_places",
            ),
        )
    )


def answered_condition(user: Any) -> Q:
    """A request is answered when marked so or when an activity the user sees answers it."""
    links = Request.answered_by.through.objects.filter(
        activity__in=visible(Activity, user).values("pk")
    )
    return Q(status=RequestStatus.ANSWERED) | Q(pk__in=links.values("request_id"))


def is_answered(request: Request, answers: Iterable[Any]) -> bool:
    """`answers`: the activities the user sees that answered the request."""
    return request.status == RequestStatus.ANSWERED or bool(list(answers))


def waiting_days(
    request: Request, answers: Iterable[Any], today: datetime.date | None = None
) -> int | None:
    """Days since a request was received while it waits for an answer; None once it is
    answered, declined or withdrawn."""
    if is_answered(request, answers) or request.status not in OPEN_REQUEST_STATUSES:
        return None
    if request.received_on is None:  # not known: no day to count from
        return None
    return ((today or timezone.localdate()) - request.received_on).days


def overlapping(queryset: QuerySet[Any], value: Any, start: str, end: str) -> QuerySet[Any]:
    """Records whose [start, end] meets the range asked; a missing end counts as the start
    day, and records without a start are left out once a bound is given."""
    if not value or (value.start is None and value.stop is None):
        return queryset
    condition = Q(**{f"{start}__isnull": False})
    if value.stop is not None:
        condition &= Q(**{f"{start}__lte": value.stop})
    if value.start is not None:
        condition &= Q(**{f"{end}__gte": value.start}) | Q(
            **{f"{end}__isnull": True, f"{start}__gte": value.start}
        )
    return queryset.filter(condition)


def agreement_rows(user: Any) -> QuerySet[Any]:
    return (
        visible(Agreement, user)
        .select_related("owner", "marking")
        .prefetch_related(
            Prefetch("parties", queryset=visible(Organization, user), to_attr="shown_parties")
        )
    )


def request_rows(user: Any) -> QuerySet[Any]:
    return (
        visible(Request, user)
        .select_related("owner", "marking")
        .prefetch_related(
            Prefetch("answered_by", queryset=visible(Activity, user), to_attr="shown_answers"),
        )
    )


def assignment_rows(user: Any) -> QuerySet[Any]:
    # Person, organisations and activity: withheld by the list from the table's columns.
    return visible(Assignment, user).select_related("owner", "marking")
