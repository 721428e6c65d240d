from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from liaison.accountability.choices import IncidentKind, IncidentStatus
from liaison.accountability.models import Incident
from liaison.core.filtersets import RecordFilterSet
from liaison.events.filtersets import overlapping_dates, used_countries


class IncidentFilterSet(RecordFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=IncidentKind.choices, label=_("Kind"))
    status = django_filters.MultipleChoiceFilter(choices=IncidentStatus.choices, label=_("Status"))
    dates = django_filters.DateFromToRangeFilter(method="filter_dates", label=_("Dates"))
    country = django_filters.ModelMultipleChoiceFilter(
        queryset=used_countries(Incident), label=_("Country")
    )
    organization = django_filters.NumberFilter(
        field_name="implications__organization_id", label=_("Unit (id)"), distinct=True
    )
    person = django_filters.NumberFilter(
        field_name="implications__person_id", label=_("Person (id)"), distinct=True
    )

    class Meta:
        model = Incident
        fields = [
            "q", "kind", "status", "dates", "country", "organization", "person", "owner",
            "marking", "release",
        ]  # fmt: skip

    def filter_dates(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return overlapping_dates(queryset, value)
