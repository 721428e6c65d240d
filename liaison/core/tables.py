"""Table bases: every list links to its records and can show its release."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _


class RecordTable(tables.Table):
    """Columns named in Meta.default_columns are shown unless the user chooses others."""

    owner = tables.Column(verbose_name=_("owner workspace"), accessor="owner__name")
    marking = tables.Column(verbose_name=_("marking"))
    release = tables.Column(verbose_name=_("release"))
    updated_at = tables.DateTimeColumn(verbose_name=_("updated at"), format="SHORT_DATE_FORMAT")

    class Meta:
        attrs = {"class": "records"}
        template_name = "core/table.html"
        per_page = 50

    default_columns: tuple[str, ...] = ()
    # Links read by render methods beyond the columns' accessors ("subject_organization"):
    # what they lead to and the user may not see is withheld (core.links), as for the
    # links the columns' accessors follow.
    links: tuple[str, ...] = ()

    @classmethod
    def choosable_columns(cls) -> list[tuple[str, Any]]:
        return [(name, column.verbose_name) for name, column in cls.base_columns.items()]

    @classmethod
    def columns_for(cls, requested: list[str]) -> list[str]:
        names = [n for n in requested if n in cls.base_columns]
        return names or list(cls.default_columns or cls.base_columns)
