from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from liaison.core.admin import (
    AUDIT_FIELDS,
    ChainedHistoryAdmin,
    ReadOnlyAdminMixin,
    RecordAdmin,
    VisibleQuerysetMixin,
)
from liaison.vetting.models import (
    GateOverride,
    ScreeningEntry,
    ScreeningHit,
    ScreeningList,
    VettingBatch,
    VettingRequest,
)


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

    # The decision is taken on the file's page (services.decide, suspend, cancel,
    # reinstate); here it is read-only, and so is the subject of a decided file.
    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        locked = obj.locked_fields() if obj is not None else VettingRequest.DECISION_FIELDS
        return (*AUDIT_FIELDS, *locked)

    # Reverting to an earlier version would change the decision outside the services.
    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def history_form_view(self, request: HttpRequest, object_id: str, *args: Any, **kw: Any) -> Any:
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, *args, **kw)


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


@admin.register(VettingBatch)
class VettingBatchAdmin(RecordAdmin):
    list_display = ("reference", "status", "submitted_on", "owner")
    list_filter = ("status", *RecordAdmin.list_filter)
    search_fields = ("reference",)

    # The status moves on the batch's page (services.set_batch_status), never back.
    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return (*AUDIT_FIELDS, "status", "submitted_on")


@admin.register(GateOverride)
class GateOverrideAdmin(ReadOnlyAdminMixin, VisibleQuerysetMixin, ChainedHistoryAdmin):
    """Read-only: an override is granted on the coverage page or through the API
    (services.grant_override: managers of the purpose's workspace, with a reason), and
    never changed afterwards; it stays in the history and the report."""

    list_display = ("__str__", "gate", "granted_by", "granted_at")
    list_filter = ("gate",)
    raw_id_fields = ("session", "event", "activity", "subject_person", "subject_organization")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [f.name for f in GateOverride._meta.fields]
