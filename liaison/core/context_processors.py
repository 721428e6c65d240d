from typing import Any

from django.http import HttpRequest

from liaison.core.registry import NavItem, navigation


def _items(entries: list[NavItem], user: Any) -> list[dict[str, Any]]:
    """The entries of a menu (core.registry, store `navigation`) that lead somewhere: a
    kind of record whose list has no page is left out, and so is an entry for roles the
    user holds nowhere."""
    from django.apps import apps
    from django.urls import NoReverseMatch, reverse

    from liaison.core.access import has_role_anywhere

    items = []
    for entry in entries:
        if entry.roles and not has_role_anywhere(user, entry.roles):
            continue
        if entry.model:
            model = apps.get_model(entry.model)
            name = f"{model._meta.app_label}:{model._meta.model_name}_list"
            label: Any = entry.label or model._meta.verbose_name_plural
        else:
            name, label = entry.url_name, entry.label
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": label})
    return items


def _navigation(user: Any) -> dict[str, list[dict[str, Any]]]:
    # The record lists of the top bar, in the order a mission's officer uses them, then
    # the other pages; the rest under "More".
    return {
        "main_nav": _items(navigation("main"), user),
        "more_nav": _items(navigation("more"), user),
    }


def workspace(request: HttpRequest) -> dict[str, Any]:
    menus = _navigation(request.user) if request.user.is_authenticated else {}
    return {
        **menus,
        "current_workspace": getattr(request, "workspace", None),
        "current_role": getattr(request, "workspace_role", None),
        "memberships": getattr(request, "memberships", []),
    }
