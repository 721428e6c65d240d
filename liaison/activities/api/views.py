from __future__ import annotations

from typing import Any

from django.db import models
from drf_spectacular.utils import extend_schema_view

from liaison.activities.api import serializers
from liaison.activities.filtersets import (
    ActivityFilterSet,
    AgreementFilterSet,
    AssignmentFilterSet,
    RequestFilterSet,
)
from liaison.activities.models import Activity, Agreement, Assignment, Request
from liaison.core.api.bulk import BulkUpsertMixin, bulk_schema
from liaison.core.api.pagination import CursorPagination
from liaison.core.api.views import RecordViewSet

AUDIT = ("created_by", "updated_by")


class AgreementViewSet(RecordViewSet):
    """Partnership agreements (conventions de partenariat)."""

    model = Agreement
    serializer_class = serializers.AgreementSerializer
    filterset_class = AgreementFilterSet
    select_related = AUDIT
    prefetch_related = ("released_to", "parties")
    ordering_fields = ("id", "title", "signed_on", "created_at", "updated_at")


@extend_schema_view(bulk=bulk_schema(serializers.ActivitySerializer))
class ActivityViewSet(BulkUpsertMixin, RecordViewSet):
    """Cooperation activities; one activity's answer includes its participating
    organisations (with their roles), places, budget lines, transactions, objectives and
    indicators."""

    model = Activity
    serializer_class = serializers.ActivitySerializer
    detail_serializer_class = serializers.ActivityDetailSerializer
    filterset_class = ActivityFilterSet
    pagination_class = CursorPagination
    select_related = AUDIT
    prefetch_related = ("released_to",)
    ordering_fields = ("id", "title", "status", "activity_type", "created_at", "updated_at")

    def get_queryset(self) -> models.QuerySet[Any]:
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                "participations", "places", "budget_lines", "transactions", "objectives",
                "indicators",
            )  # fmt: skip
        return queryset


class RequestViewSet(RecordViewSet):
    """Partners' requests (sollicitations) and the activities that answered them."""

    model = Request
    serializer_class = serializers.RequestSerializer
    filterset_class = RequestFilterSet
    select_related = AUDIT
    prefetch_related = ("released_to", "answered_by")
    ordering_fields = ("id", "title", "received_on", "urgency", "created_at", "updated_at")


class AssignmentViewSet(RecordViewSet):
    """Advisors and instructors posted to partner organisations."""

    model = Assignment
    serializer_class = serializers.AssignmentSerializer
    filterset_class = AssignmentFilterSet
    select_related = AUDIT
    prefetch_related = ("released_to",)
    ordering_fields = ("id", "role", "start_date", "end_date", "created_at", "updated_at")
