from django.contrib import admin

from liaison.activities.models import (
    Activity,
    ActivityParticipation,
    ActivityPlace,
    Agreement,
    Assignment,
    BudgetLine,
    Indicator,
    Objective,
    Request,
    Transaction,
)
from liaison.core.admin import ChildInline, RecordAdmin


class ParticipationInline(ChildInline):
    model = ActivityParticipation
    autocomplete_fields = ("organization",)


class PlaceInline(ChildInline):
    model = ActivityPlace
    autocomplete_fields = ("country", "subdivision")


class BudgetLineInline(ChildInline):
    model = BudgetLine


class TransactionInline(ChildInline):
    model = Transaction
    autocomplete_fields = ("provider", "receiver")


class ObjectiveInline(ChildInline):
    model = Objective


class IndicatorInline(ChildInline):
    model = Indicator


@admin.register(Agreement)
class AgreementAdmin(RecordAdmin):
    list_display = ("title", "reference", "signed_on", "valid_from", "valid_until", "owner")
    search_fields = ("title", "reference", "scope")
    autocomplete_fields = ("parties",)
    date_hierarchy = "signed_on"


@admin.register(Activity)
class ActivityAdmin(RecordAdmin):
    list_display = ("title", "activity_type", "status", "planned_start", "planned_end", "owner")
    list_filter = ("activity_type", "status", *RecordAdmin.list_filter)
    search_fields = ("title", "description", "iati_identifier", "external_id")
    autocomplete_fields = ("agreement", "parent")
    inlines = [
        ParticipationInline,
        PlaceInline,
        BudgetLineInline,
        TransactionInline,
        ObjectiveInline,
        IndicatorInline,
        *RecordAdmin.inlines,
    ]
    list_select_related = ("owner",)


@admin.register(Request)
class RequestAdmin(RecordAdmin):
    list_display = ("title", "requester", "received_on", "urgency", "status", "owner")
    list_filter = ("urgency", "status", *RecordAdmin.list_filter)
    search_fields = ("title", "description")
    autocomplete_fields = ("requester", "answered_by")
    list_select_related = ("requester", "owner")


@admin.register(Assignment)
class AssignmentAdmin(RecordAdmin):
    list_display = ("person", "organization", "role", "start_date", "end_date", "owner")
    search_fields = ("person__full_name", "organization__name_fr", "role")
    autocomplete_fields = ("person", "organization", "sending_organization", "activity")
    list_select_related = ("person", "organization", "owner")
