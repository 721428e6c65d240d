from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from liaison.core.tables import RecordTable
from liaison.vetting.models import VettingBatch, VettingRequest


def purpose_of(record: VettingRequest) -> Any:
    """The record a vetting request is for (activity, enrolment or event), or None."""
    return record.activity or record.enrollment or record.event


class VettingRequestTable(RecordTable):
    subject = tables.Column(
        verbose_name=_("subject"),
        accessor="subject_person__full_name",
        linkify=True,
        empty_values=(),
        order_by=("subject_person__full_name", "subject_organization__name_fr"),
    )
    status = tables.Column(verbose_name=_("status"))
    purpose = tables.Column(verbose_name=_("purpose"), accessor="pk", orderable=False)
    requested_on = tables.DateColumn(verbose_name=_("requested on"), format="SHORT_DATE_FORMAT")
    decided_on = tables.DateColumn(verbose_name=_("decided on"), format="SHORT_DATE_FORMAT")
    valid_until = tables.DateColumn(verbose_name=_("valid until"), format="SHORT_DATE_FORMAT")

    class Meta(RecordTable.Meta):
        model = VettingRequest
        fields = ("subject", "status", "purpose", "requested_on", "decided_on", "valid_until")

    default_columns = (
        "subject", "status", "purpose", "requested_on", "decided_on", "valid_until", "owner",
    )  # fmt: skip

    def render_subject(self, record: VettingRequest) -> str:
        return str(record.subject_person or record.subject_organization)

    def render_purpose(self, record: VettingRequest) -> Any:
        purpose = purpose_of(record)
        if purpose is None:
            return "—"
        url = purpose.get_absolute_url()  # None when withheld (core.links)
        return format_html('<a href="{}">{}</a>', url, purpose) if url else str(purpose)

    def value_purpose(self, record: VettingRequest) -> str:
        purpose = purpose_of(record)
        return "" if purpose is None else str(purpose)


class VettingBatchTable(RecordTable):
    reference = tables.Column(verbose_name=_("reference"), linkify=True)
    status = tables.Column(verbose_name=_("batch status"))
    subjects = tables.Column(verbose_name=_("subjects"), accessor="subjects", orderable=False)
    submitted_on = tables.DateColumn(verbose_name=_("submitted on"), format="SHORT_DATE_FORMAT")

    class Meta(RecordTable.Meta):
        model = VettingBatch
        fields = ("reference", "status", "subjects", "submitted_on")

    default_columns = ("reference", "status", "subjects", "submitted_on", "owner")
