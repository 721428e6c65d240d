from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

# The record lists of the top bar, in the order a mission's officer uses them...
MAIN_NAV = [
    "activities.Activity",
    "activities.Request",
    "partners.Organization",
    "partners.Person",
    "training.Session",
    "events.Event",
    "vetting.VettingRequest",
]
# ...and the others, under "More".
MORE_NAV = [
    "activities.Agreement",
    "activities.Assignment",
    "partners.Position",
    "training.School",
    "training.Course",
    "events.ContextEvent",
    "core.Source",
    "intake.IntakeDocument",
]


def _items(labels: list[str]) -> list[dict[str, Any]]:
    from django.apps import apps
    from django.urls import NoReverseMatch, reverse

    items = []
    for label in labels:
        model = apps.get_model(label)
        try:
            url = reverse(f"{model._meta.app_label}:{model._meta.model_name}_list")
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": model._meta.verbose_name_plural})
    return items


def _navigation() -> dict[str, list[dict[str, Any]]]:
    from django.urls import reverse

    more = _items(MORE_NAV)
    more.append({"url": reverse("reports:timeline"), "label": _("timeline")})
    more.append({"url": reverse("reports:analysis"), "label": _("analysis")})
    more.append({"url": reverse("reports:map"), "label": _("map")})
    more.append({"url": reverse("vetting:report"), "label": _("vetting report")})
    more.append({"url": reverse("core:imports"), "label": _("imports")})
    main = _items(MAIN_NAV)
    main.append({"url": reverse("reports:calendar"), "label": _("calendar")})
    return {"main_nav": main, "more_nav": more}


def workspace(request: HttpRequest) -> dict[str, Any]:
    navigation = _navigation() if request.user.is_authenticated else {}
    return {
        **navigation,
        "current_workspace": getattr(request, "workspace", None),
        "current_role": getattr(request, "workspace_role", None),
        "memberships": getattr(request, "memberships", []),
    }
