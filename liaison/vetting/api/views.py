from __future__ import annotations

from typing import Any

import django_filters
from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.core.api.views import ReadOnlyRecordViewSet, RecordViewSet
from liaison.vetting.api import serializers
from liaison.vetting.filtersets import VettingRequestFilterSet
from liaison.vetting.models import VettingRequest


class VettingRequestViewSet(RecordViewSet):
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
