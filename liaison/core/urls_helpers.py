"""URL patterns of a record kind, from its views (NetBox-style, not written per model)."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, path


def record_urls(
    slug: str,
    model: Any,
    *,
    list_view: Any = None,
    detail_view: Any = None,
    edit_view: Any = None,
    delete_view: Any = None,
) -> list[URLPattern]:
    """`<slug>/`, `<slug>/add/`, `<slug>/<pk>/`, `<slug>/<pk>/edit/`, `<slug>/<pk>/delete/`."""
    name = model._meta.model_name
    patterns = []
    if list_view is not None:
        patterns.append(path(f"{slug}/", list_view.as_view(), name=f"{name}_list"))
    if edit_view is not None:
        patterns.append(path(f"{slug}/add/", edit_view.as_view(), name=f"{name}_add"))
        patterns.append(path(f"{slug}/<int:pk>/edit/", edit_view.as_view(), name=f"{name}_edit"))
    if detail_view is not None:
        patterns.append(path(f"{slug}/<int:pk>/", detail_view.as_view(), name=name))
    if delete_view is not None:
        patterns.append(
            path(f"{slug}/<int:pk>/delete/", delete_view.as_view(), name=f"{name}_delete")
        )
    return patterns
