from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from liaison.core.tables import AlphabeticalColumn, RecordTable
from liaison.events.dates import iso_when, when
from liaison.events.models import ContextEvent, Event


class EventTable(RecordTable):
    title = tables.Column(verbose_name=_("title"), linkify=True)
    kind = tables.Column(verbose_name=_("kind"))
    when = tables.Column(
        verbose_name=_("dates"),
        accessor="start_date",
        empty_values=(),
        order_by=("start_date", "period"),
    )
    topic = tables.Column(verbose_name=_("topic"))
    country = tables.Column(verbose_name=_("country"))
    locality = tables.Column(verbose_name=_("locality"))
    participant_count = tables.Column(
        verbose_name=_("participants"), attrs={"td": {"class": "num"}}
    )
    activity = tables.Column(verbose_name=_("activity"), linkify=True)

    class Meta(RecordTable.Meta):
        model = Event
        fields = ("title", "kind", "when", "topic", "country", "locality", "activity")

    default_columns = (
        "title", "kind", "when", "topic", "country", "locality", "participant_count",
    )  # fmt: skip

    def render_when(self, record: Event) -> str:
        return when(record) or "—"

    def value_when(self, record: Event) -> str:
        return iso_when(record)


class ContextEventTable(RecordTable):
    title = AlphabeticalColumn(
        path="title",
        verbose_name=_("title"),
        accessor="title_fr",
        linkify=True,
        empty_values=(),
        order_by=("title_fr", "title_en"),
    )
    kind = tables.Column(verbose_name=_("kind"))
    when = tables.Column(
        verbose_name=_("dates"),
        accessor="start_date",
        empty_values=(),
        order_by=("start_date", "period"),
    )
    country = tables.Column(verbose_name=_("country"))
    actors = tables.ManyToManyColumn(verbose_name=_("actors"), linkify_item=True)

    class Meta(RecordTable.Meta):
        model = ContextEvent
        fields = ("title", "kind", "when", "country", "actors")

    default_columns = ("title", "kind", "when", "country", "actors")

    def render_title(self, record: ContextEvent) -> str:
        return str(record)

    def render_when(self, record: ContextEvent) -> str:
        return when(record) or "—"

    def value_when(self, record: ContextEvent) -> str:
        return iso_when(record)
