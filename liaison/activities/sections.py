"""The sections this app adds to other apps' detail pages (registered in apps.py): an
organisation's activities and the advisors posted to it, a person's assignments."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from liaison.activities.models import ActivityParticipation, Assignment
from liaison.core.generic import section
from liaison.core.querysets import visible


def organization_activities(request: HttpRequest, obj: Any) -> dict[str, Any]:
    participations = (
        visible(ActivityParticipation, request.user)
        .filter(organization=obj)
        .select_related("activity")
        .order_by("-activity__planned_start")
    )
    return section(_("activities"), participations, item=lambda p: p.activity)


def organization_advisors(request: HttpRequest, obj: Any) -> dict[str, Any]:
    return section(
        _("advisors posted here"),
        visible(Assignment, request.user)
        .filter(organization=obj)
        .select_related("person", "organization"),
    )


def person_assignments(request: HttpRequest, obj: Any) -> dict[str, Any]:
    return section(
        _("assignments"),
        visible(Assignment, request.user)
        .filter(person=obj)
        .select_related("person", "organization"),
    )
