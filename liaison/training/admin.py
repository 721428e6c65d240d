from django.contrib import admin

from liaison.core.admin import ChildInline, RecordAdmin, VisibleQuerysetMixin
from liaison.training.models import Course, Enrollment, School, Session


class EnrollmentInline(ChildInline):
    model = Enrollment
    autocomplete_fields = ("person", "nationality", "unit")


@admin.register(School)
class SchoolAdmin(RecordAdmin):
    list_display = ("organization", "is_regional", "subdivision", "owner")
    list_filter = ("is_regional", *RecordAdmin.list_filter)
    search_fields = ("organization__name_fr", "organization__name_en", "organization__acronym_fr")
    autocomplete_fields = ("organization", "subdivision")


@admin.register(Course)
class CourseAdmin(RecordAdmin):
    list_display = ("title_fr", "title_en", "school", "topic", "owner")
    search_fields = ("title_fr", "title_en", "code", "topic")
    autocomplete_fields = ("school",)


@admin.register(Session)
class SessionAdmin(RecordAdmin):
    list_display = ("course", "name", "start_date", "end_date", "status", "owner")
    list_filter = ("status", *RecordAdmin.list_filter)
    search_fields = ("name", "course__title_fr", "course__title_en")
    autocomplete_fields = ("course", "activity")
    inlines = [EnrollmentInline, *RecordAdmin.inlines]


@admin.register(Enrollment)
class EnrollmentAdmin(VisibleQuerysetMixin, admin.ModelAdmin):
    list_display = ("person", "session", "status", "nationality", "unit")
    list_filter = ("status",)
    search_fields = ("person__full_name",)
    autocomplete_fields = ("session", "person", "nationality", "unit")
