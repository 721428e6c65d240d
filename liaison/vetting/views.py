"""Vetting files: a queue, a page and a form, seen by vetting officers only.

`visible()` returns only the files a vetting officer may see; anyone else gets the
404 of any record outside their reach, and an empty queue.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.core.generic import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    section,
)
from liaison.core.querysets import visible
from liaison.vetting import filtersets, forms, tables
from liaison.vetting.models import ScreeningHit, VettingRequest

PURPOSE_RELATED = ("activity", "enrollment__person", "enrollment__session__course", "event")


class VettingRequestListView(ObjectListView):
    model = VettingRequest
    filterset_class = filtersets.VettingRequestFilterSet
    table_class = tables.VettingRequestTable
    select_related = ("subject_person", "subject_organization", *PURPOSE_RELATED, "owner")


class VettingRequestDetailView(ObjectDetailView):
    model = VettingRequest
    template_name = "vetting/vettingrequest_detail.html"
    summary_fields = (
        "subject_person", "subject_organization", "activity", "enrollment", "event", "status",
        "requested_on", "decided_on", "decided_by", "valid_until", "decision_reason", "evidence",
    )  # fmt: skip

    def base_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return (
            super()
            .base_queryset(request)
            .select_related(
                "subject_person",
                "subject_organization",
                *PURPOSE_RELATED,
                "decided_by",
                "owner",
                "marking",
            )
        )

    def related(self, request: HttpRequest, obj: VettingRequest) -> list[dict[str, Any]]:
        same_subject = (
            Q(subject_person=obj.subject_person_id)
            if obj.subject_person_id
            else Q(subject_organization=obj.subject_organization_id)
        )
        others = (
            visible(VettingRequest, request.user)
            .filter(same_subject)
            .exclude(pk=obj.pk)
            .select_related("subject_person", "subject_organization")
        )
        return [section(_("other requests for this subject"), others)]

    def extra_context(self, request: HttpRequest, obj: VettingRequest) -> dict[str, Any]:
        hits = (
            visible(ScreeningHit, request.user)
            .filter(
                Q(person=obj.subject_person_id)
                if obj.subject_person_id
                else Q(organization=obj.subject_organization_id)
            )
            .select_related("entry__screening_list", "adjudicated_by")
            .order_by("-score", "pk")
        )
        today = timezone.localdate()
        days_left = (obj.valid_until - today).days if obj.valid_until else None
        return {"hits": list(hits), "days_left": days_left}


class VettingRequestEditView(ObjectEditView):
    model = VettingRequest
    form_class = forms.VettingRequestForm


class VettingRequestDeleteView(ObjectDeleteView):
    model = VettingRequest
