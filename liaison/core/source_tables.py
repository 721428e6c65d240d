"""The table of the source list."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from liaison.core.models import Source
from liaison.core.tables import RecordTable


class SourceTable(RecordTable):
    title = tables.Column(verbose_name=_("title"), linkify=True)
    kind = tables.Column(verbose_name=_("kind"))
    publisher = tables.Column(verbose_name=_("publisher"))
    author = tables.Column(verbose_name=_("author"))
    published_on = tables.DateColumn(verbose_name=_("publication date"), format="SHORT_DATE_FORMAT")
    language = tables.Column(verbose_name=_("language"))
    url = tables.URLColumn(verbose_name=_("URL"))

    class Meta(RecordTable.Meta):
        model = Source
        fields = ("title", "kind", "publisher", "author", "published_on", "language", "url")

    default_columns = ("title", "kind", "publisher", "published_on", "language", "owner")
