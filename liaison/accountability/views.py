"""Incident pages (core generic views) and the "where are they now" page."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from liaison.accountability import filtersets, forms, tables
from liaison.accountability.choices import IncidentKind
from liaison.accountability.models import Implication, Incident
from liaison.accountability.queries import Filters, where_are_they_now
from liaison.activities.models import Activity
from liaison.core.generic import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectFormsetEditView,
    ObjectListView,
)
from liaison.core.querysets import visible
from liaison.events.dates import dates_as_known
from liaison.geo.models import Country
from liaison.partners.models import Organization
from liaison.training.models import Course


class IncidentListView(ObjectListView):
    model = Incident
    filterset_class = filtersets.IncidentFilterSet
    table_class = tables.IncidentTable
    select_related = ("country", "owner", "marking")


class IncidentDetailView(ObjectDetailView):
    model = Incident
    template_name = "accountability/incident_detail.html"
    summary_fields = (
        "title", "kind", "status", "established_by", "country", "subdivision", "locality",
        "description",
    )  # fmt: skip

    def base_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return (
            super()
            .base_queryset(request)
            .select_related("country", "subdivision", "owner", "marking")
        )

    def extra_context(self, request: HttpRequest, obj: Incident) -> dict[str, Any]:
        implications = (
            visible(Implication, request.user)
            .filter(incident=obj)
            .select_related("person", "organization")
            .order_by("role", "pk")
        )
        return {"dates": dates_as_known(obj), "implications": list(implications)}


class IncidentEditView(ObjectFormsetEditView):
    model = Incident
    form_class = forms.IncidentForm
    formsets = {"implications": forms.ImplicationFormSet}

    def child_queryset(self, request: HttpRequest, formset_class: Any) -> QuerySet[Any]:
        return (
            super()
            .child_queryset(request, formset_class)
            .select_related("person", "organization")
            .order_by("role", "pk")
        )


class IncidentDeleteView(ObjectDeleteView):
    model = Incident


def _day(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def filters_from(params: Any) -> tuple[Filters, list[str]]:
    """The filters of the page, the API and the command, from a query string; with the
    errors of what could not be read (then that filter is not applied)."""
    errors = []
    start, end = _day(params.get("start", "")), _day(params.get("end", ""))
    for name, value in (("start", start), ("end", end)):
        if params.get(name) and value is None:
            errors.append(_("%(field)s: use YYYY-MM-DD.") % {"field": name})
    kind = params.get("kind", "")
    if kind and kind not in IncidentKind.values:
        errors.append(_("Unknown kind of incident: %(kind)s.") % {"kind": kind})
        kind = ""
    return (
        Filters(
            country=params.get("country", "")[:2],
            course=_int(params.get("course", "")),
            programme=_int(params.get("programme", "")),
            start=start,
            end=end,
            kind=kind,
            implicated_only=params.get("implicated") == "1",
        ),
        errors,
    )


@login_required
def where_now(request: HttpRequest) -> HttpResponse:
    """/accountability/: the trainees and trained units of the current workspace."""
    workspace = getattr(request, "workspace", None)
    filters, errors = filters_from(request.GET)
    subjects = where_are_they_now(request.user, workspace, filters) if workspace else []
    page = Paginator(subjects, 50).get_page(request.GET.get("page"))
    user = request.user
    return render(
        request,
        "accountability/where_now.html",
        {
            "page": page,
            "subjects": page.object_list,
            "total": len(subjects),
            "flagged": sum(1 for s in subjects if s.flagged),
            "filters": filters,
            "errors": errors,
            "kinds": IncidentKind.choices,
            "countries": Country.objects.filter(
                pk__in=visible(Organization, user).values("country")
            ).order_by("alpha2"),
            "courses": visible(Course, user).filter(owner=workspace).order_by("title_fr")
            if workspace
            else [],
            "programmes": visible(Activity, user)
            .filter(owner=workspace, children__isnull=False)
            .distinct()
            .order_by("title")
            if workspace
            else [],
            "query": _without_page(request),
        },
    )


def _without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
