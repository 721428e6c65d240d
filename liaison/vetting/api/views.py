from __future__ import annotations

from typing import Any

import django_filters
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from liaison.core.api.etags import lock_and_check
from liaison.core.api.views import ReadOnlyRecordViewSet, RecordViewSet, VisibleViewSet
from liaison.core.context import acting_as, client_ip
from liaison.core.querysets import visible
from liaison.vetting import services
from liaison.vetting.api import serializers
from liaison.vetting.filtersets import VettingBatchFilterSet, VettingRequestFilterSet
from liaison.vetting.models import GateOverride, VettingBatch, VettingRequest

# --- decisions, batches and overrides (issue 19) ----------------------------------------


def _decision_response(view: Any, request: Request, move: Any) -> Response:
    """Run a service on the file under its row lock, If-Match required (428 without it,
    412 if the file changed since it was read); answer the file and its new ETag."""
    with transaction.atomic():
        instance = view.get_object()
        lock_and_check(request, instance)
        with view.acting():
            updated = move(instance)
    fresh = view.get_queryset().get(pk=updated.pk)
    return Response(view.get_serializer(fresh).data, headers=view.etag_headers(fresh))


class VettingDecisionsMixin:
    """POST /api/vetting-requests/<id>/decide/ (status, reason, evidence, valid_until,
    conditions, hits_on), .../suspend/, .../cancel/, .../reinstate/ (reason), through
    vetting.services, with If-Match as every API write."""

    @extend_schema(request=serializers.DecisionSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str | None = None) -> Response:
        data = _validated(serializers.DecisionSerializer, request)
        if not data.get("status"):
            raise DRFValidationError({"status": [_("Choose a decision.")]})
        status = data.pop("status")
        return _decision_response(
            self,
            request,
            lambda obj: services.decide(obj, status, acting_user=request.user, **data),
        )

    @extend_schema(request=serializers.DecisionSerializer)
    @action(detail=True, methods=["post"])
    def suspend(self, request: Request, pk: str | None = None) -> Response:
        return self._move(request, "suspend")

    @extend_schema(request=serializers.DecisionSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        return self._move(request, "cancel")

    @extend_schema(request=serializers.DecisionSerializer)
    @action(detail=True, methods=["post"])
    def reinstate(self, request: Request, pk: str | None = None) -> Response:
        return self._move(request, "reinstate")

    def _move(self, request: Request, name: str) -> Response:
        data = _validated(serializers.DecisionSerializer, request)
        reason, evidence = data["reason"], data["evidence"]
        moves = {
            "suspend": lambda obj: services.suspend(
                obj, acting_user=request.user, reason=reason, evidence=evidence
            ),
            "cancel": lambda obj: services.cancel(obj, acting_user=request.user, reason=reason),
            "reinstate": lambda obj: services.reinstate(
                obj, acting_user=request.user, reason=reason, evidence=evidence
            ),
        }
        return _decision_response(self, request, moves[name])


def _validated(serializer_class: Any, request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class VettingRequestViewSet(VettingDecisionsMixin, RecordViewSet):
    """Human-rights vetting files. Only vetting officers see them: to anyone else this
    list is empty and every file answers 404 (see /api/clearances/ instead)."""

    model = VettingRequest
    serializer_class = serializers.VettingRequestSerializer
    filterset_class = VettingRequestFilterSet
    select_related = ("created_by", "updated_by", "decided_by")
    prefetch_related = ("released_to",)
    ordering_fields = ("id", "requested_on", "decided_on", "valid_until", "status", "created_at")


class ClearanceFilterSet(django_filters.FilterSet):
    """Filters on what a clearance shows, and nothing else of the file."""

    subject_person = django_filters.NumberFilter(
        field_name="subject_person_id", label=_("Person vetted")
    )
    subject_organization = django_filters.NumberFilter(
        field_name="subject_organization_id", label=_("Unit vetted")
    )
    status = django_filters.MultipleChoiceFilter(
        choices=VettingRequest.Status.choices, label=_("Status")
    )

    class Meta:
        model = VettingRequest
        fields = ["subject_person", "subject_organization", "status"]


class ClearanceViewSet(ReadOnlyRecordViewSet):
    """Whether a person or unit is cleared, and until when: known to everyone who may see
    the vetting request, without its reasons, evidence or who decided."""

    model = VettingRequest
    serializer_class = serializers.ClearanceSerializer
    filterset_class = ClearanceFilterSet
    ordering_fields = ("id", "valid_until", "status")

    def base_queryset(self) -> models.QuerySet[Any]:
        return VettingRequest.objects.clearances_for(self.request.user)


class VettingBatchViewSet(RecordViewSet):
    """Batches of vetting requests as INVEST takes them (at most 50 subjects). Vetting
    officers only. POST .../add/ {"requests": [ids]} and .../status/ {"status": ...},
    with the batch's If-Match."""

    model = VettingBatch
    serializer_class = serializers.VettingBatchSerializer
    filterset_class = VettingBatchFilterSet
    select_related = ("created_by", "updated_by")
    prefetch_related = ("released_to",)
    ordering_fields = ("id", "created_at", "submitted_on", "status")

    @extend_schema(request=serializers.BatchAddSerializer)
    @action(detail=True, methods=["post"])
    def add(self, request: Request, pk: str | None = None) -> Response:
        ids = _validated(serializers.BatchAddSerializer, request)["requests"]
        chosen = list(visible(VettingRequest, request.user).filter(pk__in=ids))
        if len(chosen) != len(set(ids)):
            raise NotFound
        return _decision_response(
            self,
            request,
            lambda batch: _added(batch, chosen, request.user),
        )

    @extend_schema(request=serializers.BatchStatusSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request: Request, pk: str | None = None) -> Response:
        status = _validated(serializers.BatchStatusSerializer, request)["status"]
        return _decision_response(
            self,
            request,
            lambda batch: services.set_batch_status(batch, status, acting_user=request.user),
        )


def _added(batch: VettingBatch, requests: list[VettingRequest], user: Any) -> VettingBatch:
    services.add_to_batch(batch, requests, acting_user=user)
    return batch


class GateOverrideViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, VisibleViewSet):
    """Overrides of the vetting gate: read by whoever sees the session, event or activity;
    created by its workspace's managers only (services.grant_override), never changed
    nor deleted (a new decision is a new override)."""

    model = GateOverride
    serializer_class = serializers.GateOverrideSerializer
    select_related = ("granted_by",)
    ordering_fields = ("id", "granted_at")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        purposes = [data.get(k) for k in ("session", "event", "activity") if data.get(k)]
        if len(purposes) != 1:
            raise DRFValidationError({"session": [_("Give one session, event or activity.")]})
        purpose = purposes[0]
        user: Any = request.user
        with (
            transaction.atomic(),
            acting_as(user, ip_address=client_ip(request), channel="api"),
        ):
            override = services.grant_override(
                purpose,
                acting_user=user,
                reason=data.get("reason", ""),
                person=data.get("subject_person"),
                unit=data.get("subject_organization"),
            )
        fresh = self.get_queryset().get(pk=override.pk)
        return Response(self.get_serializer(fresh).data, status=201)
