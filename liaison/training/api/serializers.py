from __future__ import annotations

from liaison.core.api.serializers import RECORD_FIELDS, ChildSerializer, RecordSerializer, nested
from liaison.training.models import Course, Enrollment, School, Session


class SchoolSerializer(RecordSerializer):
    class Meta:
        model = School
        fields = [*RECORD_FIELDS, "organization", "is_regional", "subdivision", "description"]


class CourseSerializer(RecordSerializer):
    class Meta:
        model = Course
        fields = [
            *RECORD_FIELDS, "school", "code", "title_fr", "title_en", "topic", "duration_days",
            "description",
        ]  # fmt: skip


class EnrollmentSerializer(ChildSerializer):
    """A trainee in a session; it follows the session's release."""

    class Meta:
        model = Enrollment
        fields = [
            "id", "session", "person", "nationality", "unit", "status", "result", "certificate",
        ]  # fmt: skip


class SessionSerializer(RecordSerializer):
    class Meta:
        model = Session
        fields = [
            *RECORD_FIELDS, "course", "name", "start_date", "end_date", "status", "capacity",
            "activity",
        ]  # fmt: skip


class SessionDetailSerializer(SessionSerializer):
    """One session with its trainees."""

    enrollments = nested(EnrollmentSerializer)

    class Meta(SessionSerializer.Meta):
        fields = [*SessionSerializer.Meta.fields, "enrollments"]
