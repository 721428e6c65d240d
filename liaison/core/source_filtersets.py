"""Filters of the source list."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from liaison.core.choices import Language
from liaison.core.filtersets import RecordFilterSet
from liaison.core.models import Source


class SourceFilterSet(RecordFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=Source.Kind.choices, label=_("Kind"))
    language = django_filters.MultipleChoiceFilter(choices=Language.choices, label=_("Language"))
    publisher = django_filters.CharFilter(lookup_expr="icontains", label=_("Publisher"))
    author = django_filters.CharFilter(lookup_expr="icontains", label=_("Author"))
    published_on = django_filters.DateFromToRangeFilter(label=_("Publication date"))

    class Meta:
        model = Source
        fields = [
            "q", "kind", "language", "publisher", "author", "published_on", "owner", "marking",
            "release",
        ]  # fmt: skip
