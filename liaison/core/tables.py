"""Table bases: every list links to its records and can show its release."""

from __future__ import annotations

import types
import weakref
from collections.abc import Callable
from typing import Any

import django_tables2 as tables
import django_tables2.utils
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

Signature = tuple[tuple[str, ...], str | None]
_signatures: weakref.WeakKeyDictionary[Any, dict[str, Signature]] = weakref.WeakKeyDictionary()


_signature: Callable[[Any], Signature] = django_tables2.utils.signature


def cached_signature(fn: Any) -> Signature:
    """django-tables2's `signature` (the arguments a render method or linkify callable
    takes), once per function rather than once per cell: the same answer, since a
    function's signature does not change (a bound method's is its function's, less self)."""
    if isinstance(fn, types.MethodType) and isinstance(fn.__func__, types.FunctionType):
        key: Any = fn.__func__
        kind = "method"
    elif isinstance(fn, types.FunctionType):
        key, kind = fn, "function"
    else:
        return _signature(fn)
    by_kind = _signatures.setdefault(key, {})
    if kind not in by_kind:
        by_kind[kind] = _signature(fn)
    return by_kind[kind]


django_tables2.utils.signature = cached_signature  # call_with_appropriate reads it per cell


class AlphabeticalColumn(tables.Column):
    """A bilingual name (`path`, without _fr/_en) sorted as its reader expects:
    accents and case aside, by the reader's language else the other (core.ordering)."""

    def __init__(self, *args: Any, path: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.path = path

    def order(self, queryset: Any, is_descending: bool) -> tuple[Any, bool]:
        from liaison.core.ordering import by_name

        return by_name(queryset, self.path, is_descending), True


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
    # The fields a bulk edit may set on many records at once (core.bulk_views).
    bulk_fields: tuple[str, ...] = ("marking", "release")

    @classmethod
    def choosable_columns(cls) -> list[tuple[str, Any]]:
        return [(name, column.verbose_name) for name, column in cls.base_columns.items()]

    @classmethod
    def columns_for(cls, requested: list[str]) -> list[str]:
        names = [n for n in requested if n in cls.base_columns]
        return names or list(cls.default_columns or cls.base_columns)


PAGE_SIZES = (25, 50, 100, 250)


class SelectColumn(tables.Column):
    """A row's checkbox for the bulk actions, labelled with the record it selects; its
    header selects every row of the page (layout.js)."""

    def __init__(self) -> None:
        super().__init__(accessor="pk", orderable=False, verbose_name="", exclude_from_export=True)

    @property
    def header(self) -> Any:
        return format_html(
            '<input type="checkbox" class="select-all" aria-label="{}">',
            gettext("Select every row of this page"),
        )

    def render(self, value: Any, record: Any) -> Any:
        return format_html(
            '<input type="checkbox" name="pk" value="{}" form="bulk-form" aria-label="{}">',
            value,
            gettext("Select %(record)s") % {"record": record},
        )
