from __future__ import annotations

from typing import Any

import django_filters
from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.core.api.pagination import CursorPagination
from liaison.core.api.views import RecordViewSet
from liaison.core.search import matching_ids
from liaison.core.text import fold
from liaison.partners.models import Person
from liaison.training.api import serializers
from liaison.training.filtersets import CourseFilterSet, SchoolFilterSet, SessionFilterSet
from liaison.training.models import Course, Enrollment, School, Session

AUDIT = ("created_by", "updated_by")


class EnrollmentFilterSet(django_filters.FilterSet):
    """Minimal filters for the API: enrolments have no list page (and so no filterset) yet."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    session = django_filters.NumberFilter(field_name="session_id", label=_("Session"))
    person = django_filters.NumberFilter(field_name="person_id", label=_("Trainee"))
    status = django_filters.MultipleChoiceFilter(
        choices=Enrollment.Status.choices, label=_("Status")
    )

    class Meta:
        model = Enrollment
        fields = ["q", "session", "person", "status"]

    def search(self, queryset: models.QuerySet[Any], name: str, value: str) -> Any:
        """Trainees whose name holds every word (accents and case aside)."""
        words = fold(value).split()
        if not words:
            return queryset
        return queryset.filter(person__in=matching_ids(Person, words))


class SchoolViewSet(RecordViewSet):
    """Schools (an organisation of kind "school" with what is particular to training)."""

    model = School
    serializer_class = serializers.SchoolSerializer
    filterset_class = SchoolFilterSet
    select_related = AUDIT
    prefetch_related = ("released_to",)
    ordering_fields = ("id", "created_at", "updated_at")


class CourseViewSet(RecordViewSet):
    model = Course
    serializer_class = serializers.CourseSerializer
    filterset_class = CourseFilterSet
    select_related = AUDIT
    prefetch_related = ("released_to",)
    ordering_fields = ("id", "title_fr", "title_en", "code", "created_at", "updated_at")


class SessionViewSet(RecordViewSet):
    """Runs of a course; one session's answer includes its trainees."""

    model = Session
    serializer_class = serializers.SessionSerializer
    detail_serializer_class = serializers.SessionDetailSerializer
    filterset_class = SessionFilterSet
    select_related = AUDIT
    prefetch_related = ("released_to",)
    ordering_fields = ("id", "name", "start_date", "end_date", "created_at", "updated_at")

    def get_queryset(self) -> models.QuerySet[Any]:
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("enrollments")
        return queryset


class EnrollmentViewSet(RecordViewSet):
    """Trainees in sessions; changing them needs the right to change the session."""

    model = Enrollment
    serializer_class = serializers.EnrollmentSerializer
    filterset_class = EnrollmentFilterSet
    pagination_class = CursorPagination
    ordering_fields = ("id",)
