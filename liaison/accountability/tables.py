from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from liaison.accountability.models import Incident
from liaison.core.tables import RecordTable
from liaison.events.dates import iso_when, when


class IncidentTable(RecordTable):
    title = tables.Column(verbose_name=_("title"), linkify=True)
    kind = tables.Column(verbose_name=_("kind"))
    status = tables.Column(verbose_name=_("status"))
    when = tables.Column(
        verbose_name=_("dates"),
        accessor="start_date",
        empty_values=(),
        order_by=("start_date", "period"),
    )
    country = tables.Column(verbose_name=_("country"))
    locality = tables.Column(verbose_name=_("locality"))

    class Meta(RecordTable.Meta):
        model = Incident
        fields = ("title", "kind", "status", "when", "country", "locality", "established_by")

    default_columns = ("title", "kind", "status", "when", "country", "locality")

    def render_when(self, record: Incident) -> str:
        return when(record) or "—"

    def value_when(self, record: Incident) -> str:
        return iso_when(record)
