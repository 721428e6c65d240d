from django.contrib import admin

from liaison.core.admin import ChildInline, RecordAdmin
from liaison.events.models import ContextEvent, Event, Participant


class ParticipantInline(ChildInline):
    model = Participant
    autocomplete_fields = ("person", "organization")


@admin.register(Event)
class EventAdmin(RecordAdmin):
    list_display = ("title", "kind", "start_date", "end_date", "period", "date_as_written", "owner")
    list_filter = ("kind", *RecordAdmin.list_filter)
    search_fields = ("title", "topic", "description", "locality")
    autocomplete_fields = ("country", "subdivision", "venue", "organisers", "activity")
    inlines = [ParticipantInline, *RecordAdmin.inlines]


@admin.register(ContextEvent)
class ContextEventAdmin(RecordAdmin):
    list_display = ("__str__", "kind", "start_date", "period", "country", "owner")
    list_filter = ("kind", *RecordAdmin.list_filter)
    search_fields = ("title_fr", "title_en", "description")
    autocomplete_fields = ("country", "actors")
