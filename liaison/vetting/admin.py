from django.contrib import admin

from liaison.core.admin import RecordAdmin, VisibleQuerysetMixin
from liaison.vetting.models import ScreeningEntry, ScreeningHit, ScreeningList, VettingRequest


@admin.register(VettingRequest)
class VettingRequestAdmin(RecordAdmin):
    list_display = ("__str__", "status", "requested_on", "decided_on", "valid_until", "owner")
    list_filter = ("status", *RecordAdmin.list_filter)
    search_fields = ("subject_person__full_name", "subject_organization__name_fr")
    autocomplete_fields = (
        "subject_person",
        "subject_organization",
        "activity",
        "enrollment",
        "event",
    )


@admin.register(ScreeningList)
class ScreeningListAdmin(admin.ModelAdmin):
    list_display = ("name", "publisher", "last_imported_at")
    search_fields = ("name",)


@admin.register(ScreeningEntry)
class ScreeningEntryAdmin(admin.ModelAdmin):
    list_display = ("caption", "schema", "screening_list", "removed_at")
    list_filter = ("screening_list", "schema")
    search_fields = ("caption", "entity_id")


@admin.register(ScreeningHit)
class ScreeningHitAdmin(VisibleQuerysetMixin, admin.ModelAdmin):
    list_display = ("__str__", "score", "status", "adjudicated_by")
    list_filter = ("status",)
    raw_id_fields = ("entry", "person", "organization")
