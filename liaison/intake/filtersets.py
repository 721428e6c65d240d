"""Filters of the list of documents under review."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from liaison.core.filtersets import RecordFilterSet
from liaison.intake.models import DocumentStatus, IntakeDocument


class IntakeDocumentFilterSet(RecordFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=DocumentStatus.choices, label=_("Status"))

    class Meta:
        model = IntakeDocument
        fields = ["q", "status", "owner", "marking", "release"]

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        # Documents are not in the search index: their title and file name are searched.
        for word in value.split():
            queryset = queryset.filter(Q(title__icontains=word) | Q(file_name__icontains=word))
        return queryset
