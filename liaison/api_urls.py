"""The REST API under /api/: one router for every kind of record, the OpenAPI 3 schema
and its documentation. Views are configured per app in `liaison/<app>/api/` and
registered by the app (core.registry, store `api_endpoints`)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from liaison.core.api import views as core
from liaison.core.api.docs import ApiDocsView
from liaison.core.registry import registry

app_name = "api"


class Router(DefaultRouter):
    include_format_suffixes = False


router = Router()
# The API endpoints store of the registry (core.registry): each app registers its own
# in its `AppConfig.ready()` (`register_api_endpoint`), core its sources and citations.
ENDPOINTS: list[tuple[str, Any, str]] = registry["api_endpoints"]
for prefix, viewset, basename in ENDPOINTS:
    router.register(prefix, viewset, basename=basename)


def endpoint_names(model: type[models.Model]) -> str | None:
    """The route name of the records of `model` ("api:<basename>"), if it has an endpoint."""
    for _prefix, viewset, basename in ENDPOINTS:
        if viewset.model is model and basename != "clearance":
            return f"api:{basename}"
    return None


urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", ApiDocsView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
    # Anything else under /api/ answers a JSON 404, never an HTML page.
    re_path(r"", core.not_found),
]
