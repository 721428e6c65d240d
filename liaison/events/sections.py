"""The sections this app adds to other apps' detail pages (registered in apps.py): the
events a person took part in."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from liaison.core.generic import section
from liaison.core.querysets import visible
from liaison.events.models import Participant


def person_participations(request: HttpRequest, obj: Any) -> dict[str, Any]:
    return section(
        _("participations"),
        visible(Participant, request.user).filter(person=obj).select_related("event"),
        item=lambda p: p.event,
    )
