from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from liaison.core.derived import cached_ids
from liaison.core.filtersets import RecordFilterSet, visible_choices
from liaison.core.querysets import visible
from liaison.core.text import fold
from liaison.events.models import ContextEvent, Event
from liaison.geo.models import Country, Subdivision
from liaison.partners.models import Organization, Person


def overlapping_dates(queryset: QuerySet[Any], value: Any) -> QuerySet[Any]:
    """Dated records that meet the range asked: by their exact dates when known, else by
    their partial period (a month or a year meets the range if any of its days does)."""
    if not value or (value.start is None and value.stop is None):
        return queryset
    start, stop = value.start, value.stop
    exact = Q(start_date__isnull=False)
    if stop is not None:
        exact &= Q(start_date__lte=stop)
    if start is not None:
        exact &= Q(_end__gte=start)
    partial = Q(pk__in=[])
    for length in (4, 7, 10):
        period = Q(start_date__isnull=True, period__regex=rf"^.{{{length}}}$")
        if stop is not None:
            period &= Q(period__lte=stop.isoformat()[:length])
        if start is not None:
            period &= Q(period__gte=start.isoformat()[:length])
        partial |= period
    return queryset.annotate(_end=Coalesce("end_date", "start_date")).filter(exact | partial)


def used_countries(model: type[Any]) -> Any:
    def choices(request: Any) -> QuerySet[Any]:
        user = getattr(request, "user", None)

        def used() -> Any:
            return visible(model, user).values_list("country", flat=True).distinct()

        return Country.objects.filter(
            pk__in=cached_ids(f"countries-{model._meta.label}", user, used)
        )

    return choices


def event_regions(request: Any) -> QuerySet[Any]:
    user = getattr(request, "user", None)

    def used() -> Any:
        return visible(Event, user).values_list("subdivision", flat=True).distinct()

    return Subdivision.objects.filter(pk__in=cached_ids("event-regions", user, used))


def organisers(queryset: QuerySet[Any], user: Any) -> QuerySet[Any]:
    return queryset.filter(pk__in=visible(Event, user).values("organisers"))


def actors(queryset: QuerySet[Any], user: Any) -> QuerySet[Any]:
    return queryset.filter(pk__in=visible(ContextEvent, user).values("actors"))


class EventFilterSet(RecordFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=Event.Kind.choices, label=_("Kind"))
    topic = django_filters.CharFilter(lookup_expr="icontains", label=_("Topic"))
    dates = django_filters.DateFromToRangeFilter(method="filter_dates", label=_("Dates"))
    country = django_filters.ModelMultipleChoiceFilter(
        queryset=used_countries(Event), label=_("Country")
    )
    region = django_filters.ModelMultipleChoiceFilter(
        field_name="subdivision", queryset=event_regions, label=_("Region")
    )
    organiser = django_filters.ModelMultipleChoiceFilter(
        field_name="organisers",
        queryset=visible_choices(Organization, restrict=organisers),
        label=_("Organiser"),
        distinct=True,
    )
    participant = django_filters.CharFilter(method="filter_participant", label=_("Participant"))
    person = django_filters.NumberFilter(
        field_name="participants__person_id", label=_("Participant (id)"), distinct=True
    )
    activity = django_filters.NumberFilter(field_name="activity_id", label=_("Activity"))

    class Meta:
        model = Event
        fields = [
            "q", "kind", "topic", "dates", "country", "region", "organiser", "participant",
            "person", "activity", "owner", "marking", "release",
        ]  # fmt: skip

    def filter_dates(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return overlapping_dates(queryset, value)

    def filter_participant(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        """Events one of whose participants' names holds every word (accents aside)."""
        from liaison.core.search import matching_ids

        words = fold(value).split()
        if not words:
            return queryset
        # Only the persons the user sees: a hidden participant's name matches nothing.
        persons = visible(Person, getattr(self.request, "user", None))
        named = persons.filter(pk__in=matching_ids(Person, words)).values("pk")
        return queryset.filter(participants__person__in=named).distinct()


class ContextEventFilterSet(RecordFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=ContextEvent.Kind.choices, label=_("Kind"))
    dates = django_filters.DateFromToRangeFilter(method="filter_dates", label=_("Dates"))
    country = django_filters.ModelMultipleChoiceFilter(
        queryset=used_countries(ContextEvent), label=_("Country")
    )
    actor = django_filters.ModelMultipleChoiceFilter(
        field_name="actors",
        queryset=visible_choices(Organization, restrict=actors),
        label=_("Actor"),
        distinct=True,
    )

    class Meta:
        model = ContextEvent
        fields = ["q", "kind", "dates", "country", "actor", "owner", "marking", "release"]

    def filter_dates(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return overlapping_dates(queryset, value)
