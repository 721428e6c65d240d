"""The table of the list of documents under review."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from liaison.core.tables import RecordTable
from liaison.intake.models import IntakeDocument


class IntakeDocumentTable(RecordTable):
    title = tables.Column(verbose_name=_("title"), linkify=True)
    file_name = tables.Column(verbose_name=_("file name"))
    status = tables.Column(verbose_name=_("status"))
    language = tables.Column(verbose_name=_("language"))
    error = tables.Column(verbose_name=_("error"))
    created_at = tables.DateTimeColumn(verbose_name=_("created at"), format="SHORT_DATETIME_FORMAT")

    class Meta(RecordTable.Meta):
        model = IntakeDocument
        fields = ("title", "file_name", "status", "language", "error", "created_at")

    default_columns = ("title", "file_name", "status", "error", "created_at", "owner")
