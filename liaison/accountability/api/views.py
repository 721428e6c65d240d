from __future__ import annotations

from typing import Any

import django_filters
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, viewsets
from rest_framework import serializers as drf_serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from liaison.accountability.api import serializers
from liaison.accountability.choices import ImplicationRole
from liaison.accountability.filtersets import IncidentFilterSet
from liaison.accountability.models import Implication, Incident
from liaison.accountability.queries import as_rows, where_are_they_now
from liaison.accountability.views import filters_from
from liaison.core.api.pagination import CursorPagination
from liaison.core.api.schema import ErrorsSerializer
from liaison.core.api.views import RecordViewSet
from liaison.core.models import Workspace


class ImplicationFilterSet(django_filters.FilterSet):
    incident = django_filters.NumberFilter(field_name="incident_id", label=gettext_lazy("Incident"))
    person = django_filters.NumberFilter(field_name="person_id", label=gettext_lazy("Person"))
    organization = django_filters.NumberFilter(
        field_name="organization_id", label=gettext_lazy("Unit")
    )
    role = django_filters.MultipleChoiceFilter(
        choices=ImplicationRole.choices, label=gettext_lazy("Role")
    )

    class Meta:
        model = Implication
        fields = ["incident", "person", "organization", "role"]


class IncidentViewSet(RecordViewSet):
    """Incidents and allegations; one incident's answer includes what it implicates."""

    model = Incident
    serializer_class = serializers.IncidentSerializer
    detail_serializer_class = serializers.IncidentDetailSerializer
    filterset_class = IncidentFilterSet
    select_related = ("created_by", "updated_by")
    prefetch_related = ("released_to",)
    ordering_fields = ("id", "title", "start_date", "period", "created_at", "updated_at")

    def get_queryset(self) -> models.QuerySet[Any]:
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("implications")
        return queryset


class ImplicationViewSet(RecordViewSet):
    """Units and persons implicated in incidents; changing them needs the right to
    change the incident."""

    model = Implication
    serializer_class = serializers.ImplicationSerializer
    filterset_class = ImplicationFilterSet
    pagination_class = CursorPagination
    ordering_fields = ("id",)


class WhereNowViewSet(viewsets.ViewSet):
    """Where are they now: `?workspace=SLUG` (one of the caller's), and the filters of
    the page (country, course, programme, start, end, kind, implicated=1); one row per
    trainee or trained unit and incident."""

    model = None
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("workspace", OpenApiTypes.STR, description="One of your workspaces."),
            *(
                OpenApiParameter(name, OpenApiTypes.STR)
                for name in ("country", "course", "programme", "start", "end", "kind")
            ),
            OpenApiParameter("implicated", OpenApiTypes.BOOL),
        ],
        responses={
            200: inline_serializer(
                "WhereNow",
                {
                    "workspace": drf_serializers.CharField(),
                    "count": drf_serializers.IntegerField(),
                    "results": drf_serializers.ListField(child=drf_serializers.DictField()),
                },
            ),
            **dict.fromkeys((400, 401, 403, 429), ErrorsSerializer),
        },
    )
    def list(self, request: Request) -> Response:
        slug = request.query_params.get("workspace", "")
        mine = Workspace.objects.filter(memberships__user=request.user.pk)
        workspace = mine.filter(slug=slug).first() if slug else None
        if workspace is None:
            workspace = getattr(request._request, "workspace", None)
        if workspace is None or not mine.filter(pk=workspace.pk).exists():
            raise ValidationError({"workspace": _("Give one of your workspaces.")})
        filters, errors = filters_from(request.query_params)
        if errors:
            raise ValidationError({"filters": errors})
        subjects = where_are_they_now(request.user, workspace, filters)
        return Response({"workspace": workspace.slug, "count": len(subjects),
                         "results": as_rows(subjects)})  # fmt: skip
