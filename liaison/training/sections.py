"""The sections this app adds to other apps' detail pages (registered in apps.py): the
training sessions a person enrolled in."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from liaison.core.generic import section
from liaison.core.querysets import visible
from liaison.training.models import Enrollment


def person_trainings(request: HttpRequest, obj: Any) -> dict[str, Any]:
    return section(
        _("trainings"),
        visible(Enrollment, request.user).filter(person=obj).select_related("session__course"),
        item=lambda e: e.session,
    )
