"""Admin bases: every record's admin shows its release, history and citations."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from liaison.core.models import Citation, Marking, Membership, Source, Workspace

RECORD_FIELDSET = (
    _("Ownership and release"),
    {"fields": ("owner", "marking", "release", "released_to"), "classes": ("collapse",)},
)
AUDIT_FIELDS = ("created_at", "created_by", "updated_at", "updated_by", "version")


class CitationInline(GenericTabularInline):
    model = Citation
    extra = 0
    fields = ("source", "field", "quote", "start", "end", "confidence")
    autocomplete_fields = ("source",)


class VisibleQuerysetMixin:
    """Admin lists and forms start from the one enforcement point, like every other channel."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).visible_to(request.user)  # type: ignore[misc]


class RecordAdmin(VisibleQuerysetMixin, SimpleHistoryAdmin):
    """Admin of an OwnedModel: release fields, audit fields, citations, history."""

    inlines: list[Any] = [CitationInline]
    readonly_fields = AUDIT_FIELDS
    filter_horizontal = ("released_to",)
    list_filter: tuple[Any, ...] = ("owner", "release", "marking")

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        own = ("owner", "marking", "release", "released_to", *AUDIT_FIELDS)
        main = [f for f in fieldsets[0][1]["fields"] if f not in own]
        return [
            (None, {"fields": main}),
            RECORD_FIELDSET,
            (_("History"), {"fields": AUDIT_FIELDS, "classes": ("collapse",)}),
        ]


class ChildInline(admin.TabularInline):
    extra = 0


@admin.register(Workspace)
class WorkspaceAdmin(SimpleHistoryAdmin):
    list_display = ("name", "slug", "created_at")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("user", "workspace", "role")
    list_filter = ("workspace", "role")
    search_fields = ("user__username", "workspace__name")
    autocomplete_fields = ("user", "workspace")


@admin.register(Marking)
class MarkingAdmin(admin.ModelAdmin):
    list_display = ("code", "name_fr", "name_en", "level")


@admin.register(Source)
class SourceAdmin(RecordAdmin):
    list_display = ("title", "kind", "publisher", "published_on", "language", "owner")
    list_filter = ("kind", "language", *RecordAdmin.list_filter)
    search_fields = ("title", "url", "publisher", "author", "text")
    date_hierarchy = "published_on"
    inlines: list[Any] = []


@admin.register(Citation)
class CitationAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "content_type", "object_id", "field", "confidence")
    list_filter = ("content_type", "source")
    search_fields = ("quote",)
    autocomplete_fields = ("source",)
