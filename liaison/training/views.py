"""School, course and session pages: configuration of the core generic views.

Enrolments have no pages of their own: they are shown and edited on their session's.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison.core.generic import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectFormsetEditView,
    ObjectListView,
    section,
)
from liaison.core.querysets import visible
from liaison.partners.models import Person
from liaison.training import filtersets, forms, tables
from liaison.training.models import Course, Enrollment, School, Session
from liaison.vetting.models import VettingRequest


def count_of(rows: QuerySet[Any], field: str) -> Coalesce:
    """The number of `rows` that point to the outer record through `field` (a subquery,
    so that it is not multiplied by the joins of the filters)."""
    counted = (
        rows.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def sessions_of(user: Any, **where: Any) -> QuerySet[Any]:
    """Sessions the user sees, with what a table of sessions shows."""
    return (
        visible(Session, user)
        .filter(**where)
        .select_related("course__school__organization")
        .annotate(trainee_count=count_of(Enrollment.objects.all(), "session"))
        .order_by("-start_date", "pk")
    )


# --- schools ------------------------------------------------------------------------


class SchoolListView(ObjectListView):
    model = School
    filterset_class = filtersets.SchoolFilterSet
    table_class = tables.SchoolTable
    select_related = ("organization__country", "subdivision", "owner", "marking")

    def base_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        courses = visible(Course, request.user)
        return super().base_queryset(request).annotate(course_count=count_of(courses, "school"))


class SchoolDetailView(ObjectDetailView):
    model = School
    template_name = "training/school_detail.html"
    summary_fields = ("organization", "is_regional", "subdivision", "description")

    def base_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return (
            super()
            .base_queryset(request)
            .select_related("organization__country", "subdivision", "owner", "marking")
        )

    def related(self, request: HttpRequest, obj: School) -> list[dict[str, Any]]:
        courses = visible(Course, request.user).filter(school=obj)
        return [section(gettext_lazy("courses"), courses)]

    def extra_context(self, request: HttpRequest, obj: School) -> dict[str, Any]:
        sessions = section(_("sessions"), sessions_of(request.user, course__school=obj))
        return {"sessions": sessions}


class SchoolEditView(ObjectEditView):
    model = School
    form_class = forms.SchoolForm


class SchoolDeleteView(ObjectDeleteView):
    model = School


# --- courses ------------------------------------------------------------------------


class CourseListView(ObjectListView):
    model = Course
    filterset_class = filtersets.CourseFilterSet
    table_class = tables.CourseTable
    select_related = ("school__organization", "owner", "marking")

    def base_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        sessions = visible(Session, request.user)
        return super().base_queryset(request).annotate(session_count=count_of(sessions, "course"))


class CourseDetailView(ObjectDetailView):
    model = Course
    template_name = "training/course_detail.html"
    summary_fields = (
        "school", "code", "title_fr", "title_en", "topic", "duration_days", "description",
    )  # fmt: skip

    def base_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return (
            super()
            .base_queryset(request)
            .select_related("school__organization", "owner", "marking")
        )

    def extra_context(self, request: HttpRequest, obj: Course) -> dict[str, Any]:
        sessions = section(_("sessions"), sessions_of(request.user, course=obj))
        return {"sessions": sessions}


class CourseEditView(ObjectEditView):
    model = Course
    form_class = forms.CourseForm


class CourseDeleteView(ObjectDeleteView):
    model = Course


# --- sessions -----------------------------------------------------------------------


class SessionListView(ObjectListView):
    model = Session
    filterset_class = filtersets.SessionFilterSet
    table_class = tables.SessionTable
    select_related = ("course__school__organization", "owner", "marking")

    def base_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return (
            super()
            .base_queryset(request)
            .annotate(trainee_count=count_of(Enrollment.objects.all(), "session"))
        )


class SessionDetailView(ObjectDetailView):
    model = Session
    template_name = "training/session_detail.html"
    summary_fields = ("course", "name", "start_date", "end_date", "status", "capacity", "activity")

    def base_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return (
            super()
            .base_queryset(request)
            .select_related("course__school__organization", "activity", "owner", "marking")
        )

    def extra_context(self, request: HttpRequest, obj: Session) -> dict[str, Any]:
        trainees = list(
            visible(Enrollment, request.user)
            .filter(session=obj)
            .select_related("person", "nationality", "unit")
            .order_by("person__full_name", "pk")
        )
        # Clearances only of the trainees the user sees (nothing of a withheld one).
        shown = [e.person_id for e in trainees if isinstance(e.person, Person)]
        clearances = latest_clearances(request.user, shown)
        for enrollment in trainees:
            enrollment.clearance = clearances.get(enrollment.person_id)
        by_nationality = Counter(e.nationality for e in trainees)
        unknown = by_nationality.pop(None, 0)
        counts = sorted(by_nationality.items(), key=lambda item: (-item[1], str(item[0])))
        return {
            "trainees": trainees,
            "counts_by_nationality": counts,
            "unknown_nationality": unknown,
        }


def latest_clearances(user: Any, person_ids: list[int]) -> dict[int, dict[str, Any]]:
    """What the user may know of the vetting of these persons: the latest request's status
    and validity (the file itself stays with vetting officers)."""
    if not person_ids:
        return {}
    latest: dict[int, dict[str, Any]] = {}
    rows = (
        VettingRequest.objects.clearances_for(user)
        .filter(subject_person__in=person_ids)
        .order_by("requested_on", "pk")
        .values("subject_person_id", "status", "valid_until")
    )
    labels = dict(VettingRequest.Status.choices)
    for row in rows:
        latest[row["subject_person_id"]] = {**row, "label": labels.get(row["status"])}
    return latest


class SessionEditView(ObjectFormsetEditView):
    model = Session
    form_class = forms.SessionForm
    formsets = {"enrollments": forms.EnrollmentFormSet}

    def child_queryset(self, request: HttpRequest, formset_class: Any) -> QuerySet[Any]:
        return (
            super()
            .child_queryset(request, formset_class)
            .select_related("person", "unit", "nationality")
            .order_by("person__full_name", "pk")
        )


class SessionDeleteView(ObjectDeleteView):
    model = Session
