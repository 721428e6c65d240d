from django.contrib import admin

from liaison.core.admin import AUDIT_FIELDS, ChildInline, RecordAdmin
from liaison.intake.models import IntakeDocument, Proposal


class ProposalInline(ChildInline):
    model = Proposal
    fields = ("kind", "label", "status", "confidence")
    readonly_fields = ("kind", "label", "status", "confidence")


@admin.register(IntakeDocument)
class IntakeDocumentAdmin(RecordAdmin):
    list_display = ("title", "file_name", "status", "language", "owner", "created_at")
    list_filter = ("status", *RecordAdmin.list_filter)
    search_fields = ("title", "file_name")
    readonly_fields = (*AUDIT_FIELDS, "source", "extraction", "processed_at")  # type: ignore[assignment]
    inlines = [ProposalInline, *RecordAdmin.inlines]
