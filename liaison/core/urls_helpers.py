"""URL patterns of a record kind, from its views (NetBox-style, not written per model)."""

from __future__ import annotations

from types import ModuleType
from typing import Any

from django.urls import URLPattern, path

# The views an app's module defines for a model, by name: <Model>ListView, ...
VIEW_KINDS = ("List", "Detail", "Edit", "Delete")


def record_urls(slug: str, model: Any, views: ModuleType) -> list[URLPattern]:
    """`<slug>/`, `<slug>/add/`, `<slug>/<pk>/`, `<slug>/<pk>/edit/`, `<slug>/<pk>/delete/`,
    named `<model>_list`, `<model>_add`, `<model>`, `<model>_edit`, `<model>_delete`,
    for whichever of `<Model>ListView`, `...DetailView`, `...EditView`, `...DeleteView`
    the module `views` defines; and `<slug>/bulk-edit/`, `<slug>/bulk-delete/`
    (`<model>_bulk_edit`, `<model>_bulk_delete`) where a list has edit or delete views."""
    from liaison.core.bulk_views import ObjectBulkDeleteView, ObjectBulkEditView

    name = model._meta.model_name
    found = {kind: getattr(views, f"{model.__name__}{kind}View", None) for kind in VIEW_KINDS}
    patterns = []
    if found["List"] is not None:
        patterns.append(path(f"{slug}/", found["List"].as_view(), name=f"{name}_list"))
    if found["Edit"] is not None:
        edit = found["Edit"].as_view()
        patterns.append(path(f"{slug}/add/", edit, name=f"{name}_add"))
        patterns.append(path(f"{slug}/<int:pk>/edit/", edit, name=f"{name}_edit"))
    if found["Detail"] is not None:
        patterns.append(path(f"{slug}/<int:pk>/", found["Detail"].as_view(), name=name))
    if found["Delete"] is not None:
        patterns.append(
            path(f"{slug}/<int:pk>/delete/", found["Delete"].as_view(), name=f"{name}_delete")
        )
    list_view = found["List"]
    for kind, base in (("Edit", ObjectBulkEditView), ("Delete", ObjectBulkDeleteView)):
        if list_view is not None and found[kind] is not None:
            view: Any = type(
                f"{model.__name__}Bulk{kind}View", (base,), {"model": model, "list_view": list_view}
            )
            patterns.append(
                path(
                    f"{slug}/bulk-{kind.lower()}/",
                    view.as_view(),
                    name=f"{name}_bulk_{kind.lower()}",
                )
            )
    return patterns
