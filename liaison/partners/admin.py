from django.contrib import admin

from liaison.core.admin import RecordAdmin
from liaison.partners.models import Organization, Person, Position


@admin.register(Organization)
class OrganizationAdmin(RecordAdmin):
    list_display = ("name_fr", "name_en", "acronym_fr", "kind", "country", "parent", "owner")
    list_filter = ("kind", "country", *RecordAdmin.list_filter)
    search_fields = ("name_fr", "name_en", "acronym_fr", "acronym_en", "aliases")
    autocomplete_fields = ("country", "parent")
    list_select_related = ("country", "parent", "owner")


@admin.register(Person)
class PersonAdmin(RecordAdmin):
    list_display = ("full_name", "rank", "nationality", "owner")
    list_filter = ("nationality", "gender", *RecordAdmin.list_filter)
    search_fields = ("full_name", "given_names", "family_name", "aliases", "rank")
    autocomplete_fields = ("nationality",)
    list_select_related = ("nationality", "owner")


@admin.register(Position)
class PositionAdmin(RecordAdmin):
    list_display = ("person", "title_fr", "title_en", "organization", "start_date", "end_date")
    list_filter = ("is_current", *RecordAdmin.list_filter)
    search_fields = ("person__full_name", "title_fr", "title_en", "organization__name_fr")
    autocomplete_fields = ("person", "organization")
    list_select_related = ("person", "organization")
