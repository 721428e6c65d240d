from django.contrib import admin

from liaison.accountability.models import Implication, Incident
from liaison.core.admin import ChildInline, RecordAdmin


class ImplicationInline(ChildInline):
    model = Implication
    autocomplete_fields = ("person", "organization")


@admin.register(Incident)
class IncidentAdmin(RecordAdmin):
    list_display = ("title", "kind", "status", "start_date", "period", "country", "owner")
    list_filter = ("kind", "status", *RecordAdmin.list_filter)
    search_fields = ("title", "description", "locality", "established_by")
    autocomplete_fields = ("country", "subdivision")
    inlines = [ImplicationInline, *RecordAdmin.inlines]
