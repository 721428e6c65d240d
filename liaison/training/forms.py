from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from liaison.core.forms import RELEASE_FIELDS, ChildForm, RecordForm
from liaison.core.querysets import visible
from liaison.geo.models import Subdivision
from liaison.partners.models import Organization
from liaison.training.models import Course, Enrollment, School, Session

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def regions_of(user: Any, *country_ids: Any, current: Any = None) -> QuerySet[Any]:
    """Regions worth offering: those of the given countries and of the countries of the
    organisations the user sees (never the five thousand of the world), and the current one."""
    used = visible(Organization, user).exclude(country=None).values("country")
    wanted = [c for c in country_ids if c]
    return Subdivision.objects.filter(
        Q(country__in=used) | Q(country__in=wanted) | Q(pk=current)
    ).select_related("country")


class SchoolForm(RecordForm):
    picker_fields = ("organization",)

    class Meta:
        model = School
        fields = ["organization", "is_regional", "subdivision", "description", *RELEASE_FIELDS]

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        # The organisation as the user may see it (withheld: no country to go by).
        organization = self.instance.organization if self.instance.organization_id else None
        region: Any = self.fields["subdivision"]
        region.queryset = regions_of(
            self.user,
            getattr(organization, "country_id", None),
            current=self.instance.subdivision_id,
        )


class CourseForm(RecordForm):
    class Meta:
        model = Course
        fields = [
            "school", "code", "title_fr", "title_en", "topic", "duration_days", "description",
            *RELEASE_FIELDS,
        ]  # fmt: skip

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        school: Any = self.fields["school"]
        school.queryset = school.queryset.select_related("organization")


class SessionForm(RecordForm):
    picker_fields = ("course", "activity")

    class Meta:
        model = Session
        fields = [
            "course", "name", "start_date", "end_date", "status", "capacity", "activity",
            *RELEASE_FIELDS,
        ]  # fmt: skip
        widgets = {"start_date": DATE_WIDGET, "end_date": DATE_WIDGET}


class EnrollmentForm(ChildForm):
    picker_fields = ("person", "unit")

    class Meta:
        model = Enrollment
        fields = ["person", "nationality", "unit", "status", "result", "certificate"]


EnrollmentFormSet = forms.inlineformset_factory(
    Session, Enrollment, form=EnrollmentForm, extra=3, can_delete=True
)
