from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def _main_nav() -> list[dict[str, Any]]:
    """The record lists in the top bar, in the order a mission's officer uses them."""
    from django.apps import apps
    from django.urls import NoReverseMatch, reverse

    items = []
    for label in MAIN_NAV:
        model = apps.get_model(label)
        try:
            url = reverse(f"{model._meta.app_label}:{model._meta.model_name}_list")
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": model._meta.verbose_name_plural})
    items.append({"url": reverse("reports:calendar"), "label": _("calendar")})
    return items


MAIN_NAV = [
    "activities.Activity",
    "activities.Request",
    "partners.Organization",
    "partners.Person",
    "training.Session",
    "events.Event",
    "vetting.VettingRequest",
]


def workspace(request: HttpRequest) -> dict[str, Any]:
    return {
        "main_nav": _main_nav() if request.user.is_authenticated else [],
        "current_workspace": getattr(request, "workspace", None),
        "current_role": getattr(request, "workspace_role", None),
        "memberships": getattr(request, "memberships", []),
    }
