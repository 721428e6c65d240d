"""The REST API under /api/: one router for every kind of record, the OpenAPI 3 schema
and its documentation. Views are configured per app in `liaison/<app>/api/`."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from liaison.activities.api import views as activities
from liaison.core.api import views as core
from liaison.core.api.docs import ApiDocsView
from liaison.events.api import views as events
from liaison.geo.api import views as geo
from liaison.partners.api import views as partners
from liaison.training.api import views as training
from liaison.vetting.api import views as vetting

app_name = "api"


class Router(DefaultRouter):
    include_format_suffixes = False


router = Router()
ENDPOINTS: list[tuple[str, Any, str]] = [
    ("organizations", partners.OrganizationViewSet, "organization"),
    ("persons", partners.PersonViewSet, "person"),
    ("positions", partners.PositionViewSet, "position"),
    ("agreements", activities.AgreementViewSet, "agreement"),
    ("activities", activities.ActivityViewSet, "activity"),
    ("requests", activities.RequestViewSet, "request"),
    ("assignments", activities.AssignmentViewSet, "assignment"),
    ("schools", training.SchoolViewSet, "school"),
    ("courses", training.CourseViewSet, "course"),
    ("sessions", training.SessionViewSet, "session"),
    ("enrollments", training.EnrollmentViewSet, "enrollment"),
    ("events", events.EventViewSet, "event"),
    ("participants", events.ParticipantViewSet, "participant"),
    ("context-events", events.ContextEventViewSet, "contextevent"),
    ("sources", core.SourceViewSet, "source"),
    ("citations", core.CitationViewSet, "citation"),
    ("vetting-requests", vetting.VettingRequestViewSet, "vettingrequest"),
    ("clearances", vetting.ClearanceViewSet, "clearance"),
    ("countries", geo.CountryViewSet, "country"),
    ("subdivisions", geo.SubdivisionViewSet, "subdivision"),
]
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
