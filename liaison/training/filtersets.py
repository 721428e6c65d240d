from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from liaison.core.derived import cached_ids
from liaison.core.filtersets import RecordFilterSet, visible_choices
from liaison.core.querysets import visible
from liaison.geo.models import Country, Subdivision
from liaison.training.models import Course, Enrollment, School, Session


def overlapping(queryset: QuerySet[Any], value: Any, prefix: str = "") -> QuerySet[Any]:
    """Records whose [start, end] meets the range asked (an open end counts as one day)."""
    if not value:
        return queryset
    start, stop = value.start, value.stop
    if start is None and stop is None:
        return queryset
    queryset = queryset.annotate(_end=Coalesce(f"{prefix}end_date", f"{prefix}start_date")).filter(
        **{f"{prefix}start_date__isnull": False}
    )
    if stop is not None:
        queryset = queryset.filter(**{f"{prefix}start_date__lte": stop})
    if start is not None:
        queryset = queryset.filter(_end__gte=start)
    return queryset


def trainee_countries(user: Any) -> QuerySet[Any]:
    """The nationalities of the trainees the user sees (a short list, unlike all countries),
    kept until anything changes: reading them goes through every enrolment."""

    def used() -> Any:
        return visible(Enrollment, user).values_list("nationality", flat=True).distinct()

    return Country.objects.filter(pk__in=cached_ids("trainee-nationalities", user, used))


class SchoolFilterSet(RecordFilterSet):
    is_regional = django_filters.BooleanFilter(label=_("Regional vocation (ENVR)"))
    country = django_filters.ModelMultipleChoiceFilter(
        field_name="organization__country", queryset=Country.objects.all(), label=_("Country")
    )

    class Meta:
        model = School
        fields = ["q", "is_regional", "country", "owner", "marking", "release"]


class CourseFilterSet(RecordFilterSet):
    school = django_filters.ModelMultipleChoiceFilter(
        queryset=visible_choices(School, "organization"), label=_("School")
    )
    regional = django_filters.BooleanFilter(
        field_name="school__is_regional", label=_("Regional school (ENVR)")
    )
    topic = django_filters.CharFilter(lookup_expr="icontains", label=_("Topic"))

    class Meta:
        model = Course
        fields = ["q", "school", "regional", "topic", "owner", "marking", "release"]


def school_regions(request: Any) -> QuerySet[Any]:
    """The regions of the schools the user sees (where their sessions take place)."""
    user = getattr(request, "user", None)

    def used() -> Any:
        return visible(School, user).values_list("subdivision", flat=True).distinct()

    return Subdivision.objects.filter(pk__in=cached_ids("school-regions", user, used))


class SessionFilterSet(RecordFilterSet):
    school = django_filters.ModelMultipleChoiceFilter(
        field_name="course__school",
        queryset=visible_choices(School, "organization"),
        label=_("School"),
    )
    regional = django_filters.BooleanFilter(
        field_name="course__school__is_regional", label=_("Regional school (ENVR)")
    )
    course = django_filters.ModelMultipleChoiceFilter(
        queryset=visible_choices(Course), label=_("Course")
    )
    dates = django_filters.DateFromToRangeFilter(method="filter_dates", label=_("Dates"))
    status = django_filters.MultipleChoiceFilter(choices=Session.Status.choices, label=_("Status"))
    nationality = django_filters.ModelMultipleChoiceFilter(
        field_name="enrollments__nationality",
        queryset=lambda request: trainee_countries(getattr(request, "user", None)),
        label=_("Trainee nationality"),
        distinct=True,
    )
    unit = django_filters.NumberFilter(
        field_name="enrollments__unit_id", label=_("Trainee unit"), distinct=True
    )
    person = django_filters.NumberFilter(
        field_name="enrollments__person_id", label=_("Trainee"), distinct=True
    )
    region = django_filters.ModelMultipleChoiceFilter(
        field_name="course__school__subdivision", queryset=school_regions, label=_("Region")
    )

    class Meta:
        model = Session
        fields = [
            "q", "school", "regional", "course", "dates", "status", "nationality", "unit",
            "person", "region", "owner", "marking", "release",
        ]  # fmt: skip

    def filter_dates(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return overlapping(queryset, value)
