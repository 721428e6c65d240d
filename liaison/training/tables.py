from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from liaison.core.tables import AlphabeticalColumn, RecordTable
from liaison.training.models import Course, School, Session


class SchoolTable(RecordTable):
    name = AlphabeticalColumn(
        path="organization__name",
        verbose_name=_("name"),
        accessor="organization__name_fr",
        linkify=lambda record: record.get_absolute_url(),
        empty_values=(),
        order_by=("organization__name_fr", "organization__name_en"),
    )
    acronym = tables.Column(
        verbose_name=_("acronym"),
        accessor="organization__acronym_fr",
        empty_values=(),
        order_by="organization__acronym_fr",
    )
    is_regional = tables.BooleanColumn(verbose_name=_("ENVR"))
    country = tables.Column(verbose_name=_("country"), accessor="organization__country")
    subdivision = tables.Column(verbose_name=_("region"))
    course_count = tables.Column(verbose_name=_("courses"), attrs={"td": {"class": "num"}})

    class Meta(RecordTable.Meta):
        model = School
        fields = ("name", "acronym", "is_regional", "country", "subdivision")

    default_columns = ("name", "acronym", "is_regional", "country", "course_count", "owner")

    # A school whose organisation the user may not see reads as withheld (core.links).
    def render_name(self, record: School) -> str:
        return getattr(record.organization, "name", None) or str(record.organization)

    def render_acronym(self, record: School) -> str:
        return getattr(record.organization, "acronym", "")


class CourseTable(RecordTable):
    title = AlphabeticalColumn(
        path="title",
        verbose_name=_("title"),
        accessor="title_fr",
        linkify=True,
        order_by=("title_fr", "title_en"),
    )
    code = tables.Column(verbose_name=_("code"))
    school = tables.Column(
        verbose_name=_("school"), linkify=True, order_by="school__organization__name_fr"
    )
    topic = tables.Column(verbose_name=_("topic"))
    duration_days = tables.Column(verbose_name=_("duration (days)"), attrs={"td": {"class": "num"}})
    session_count = tables.Column(verbose_name=_("sessions"), attrs={"td": {"class": "num"}})

    class Meta(RecordTable.Meta):
        model = Course
        fields = ("title", "code", "school", "topic", "duration_days")

    default_columns = ("title", "code", "school", "topic", "session_count", "owner")

    def render_title(self, record: Course) -> str:
        return str(record)


class SessionTable(RecordTable):
    session = tables.Column(
        verbose_name=_("session"),
        accessor="name",
        linkify=True,
        empty_values=(),
        order_by=("course__title_fr", "name"),
    )
    course = tables.Column(verbose_name=_("course"), linkify=True, order_by="course__title_fr")
    school = tables.Column(
        verbose_name=_("school"),
        accessor="course__school",
        linkify=True,
        order_by="course__school__organization__name_fr",
    )
    start_date = tables.DateColumn(verbose_name=_("start date"), format="SHORT_DATE_FORMAT")
    end_date = tables.DateColumn(verbose_name=_("end date"), format="SHORT_DATE_FORMAT")
    status = tables.Column(verbose_name=_("status"))
    trainee_count = tables.Column(verbose_name=_("trainees"), attrs={"td": {"class": "num"}})

    class Meta(RecordTable.Meta):
        model = Session
        fields = ("session", "course", "school", "start_date", "end_date", "status")

    default_columns = (
        "session", "course", "school", "start_date", "end_date", "status", "trainee_count",
    )  # fmt: skip

    def render_session(self, record: Session) -> str:
        return record.name or str(record)
