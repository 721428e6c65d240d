"""Admin bases: every record's admin shows its release, history and citations."""

from __future__ import annotations

import operator
from functools import reduce
from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.admin import GenericTabularInline
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from liaison.core import access
from liaison.core.history import chained
from liaison.core.links import link_path
from liaison.core.models import Citation, Marking, Membership, Source, Workspace
from liaison.core.querysets import visible
from liaison.core.withholding import reading_as

RECORD_FIELDSET = (
    _("Ownership and release"),
    {"fields": ("owner", "marking", "release", "released_to"), "classes": ("collapse",)},
)
AUDIT_FIELDS = ("created_at", "created_by", "updated_at", "updated_by", "version")


def _restricted_choices(db_field: Any, request: HttpRequest, kwargs: dict[str, Any]) -> None:
    """Related-record pickers offer only what the user may see; owners, only where they write."""
    related = db_field.related_model
    if related is Workspace and db_field.name == "owner":
        kwargs["queryset"] = Workspace.objects.filter(
            pk__in=access.writable_workspace_ids(request.user, db_field.model)
        )
    elif related is not None and hasattr(related._default_manager, "visible_to"):
        kwargs["queryset"] = visible(related, request.user)
    elif related is get_user_model():
        # Users are named only to those who share a workspace with them.
        reader: Any = request.user
        shared = Membership.objects.filter(
            workspace__in=Membership.objects.filter(user=reader).values("workspace")
        )
        kwargs["queryset"] = related._default_manager.filter(pk__in=shared.values("user"))


class VisibleQuerysetMixin:
    """Admin lists, pages, pickers and permissions all go through the one enforcement point.

    Django's model permissions are not used for records: a user's role in the record's
    workspace decides (core.access), for superusers too.
    """

    model: Any

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).visible_to(request.user)  # type: ignore[misc]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not self.has_module_permission(request):
            return False
        return obj is None or access.can(request.user, access.VIEW, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self.has_module_permission(request) and access.can_add(request.user, self.model)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not self.has_module_permission(request):
            return False
        if obj is None:
            return bool(access.writable_workspace_ids(request.user, self.model))
        return access.can(request.user, access.CHANGE, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not self.has_module_permission(request):
            return False
        if obj is None:
            return access.has_role_anywhere(
                request.user, access.required_roles(access.record_model(self.model), access.DELETE)
            )
        return access.can(request.user, access.DELETE, obj)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        _restricted_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        _restricted_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        """Search a linked record's name only where the user may see that record: else
        rows would appear or vanish as a hidden name's prefix grows."""
        fields = [str(f) for f in self.get_search_fields(request)]  # type: ignore[attr-defined]
        if not fields or not search_term:
            return queryset, False
        conditions = []
        for bit in smart_split(search_term):
            if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
                bit = unescape_string_literal(bit)
            matches = [
                Q(**{f"{field.lstrip('^=@')}__icontains": bit}) & self._shown_links(request, field)
                for field in fields
            ]
            conditions.append(reduce(operator.or_, matches))
        return queryset.filter(*conditions), False

    def _shown_links(self, request: HttpRequest, field: str) -> Q:
        """The condition that every linked record `field` goes through is visible."""
        path = link_path(self.model, field.lstrip("^=@"))
        condition = Q()
        if path is None:
            return condition
        current = self.model
        steps = path.split("__")
        for depth, step in enumerate(steps, start=1):
            current = current._meta.get_field(step).related_model
            prefix = "__".join(steps[:depth])
            condition &= Q(**{f"{prefix}__in": visible(current, request.user).values("pk")})
        return condition

    def _get_obj_does_not_exist_redirect(self, request: HttpRequest, *args: Any) -> Any:
        # Django redirects with a message; Liaison answers 404, the same as for a record
        # that never existed, so that nothing tells a hidden record from a missing one.
        raise Http404

    def _ensure_visible(self, request: HttpRequest, object_id: str) -> None:
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404

    def history_view(self, request: HttpRequest, object_id: str, *args: Any, **kw: Any) -> Any:
        self._ensure_visible(request, object_id)
        view = super().history_view  # type: ignore[misc]
        return _read_for(request, view, request, object_id, *args, **kw)

    def history_form_view(self, request: HttpRequest, object_id: str, *args: Any, **kw: Any) -> Any:
        self._ensure_visible(request, object_id)
        view = super().history_form_view  # type: ignore[misc]
        return _read_for(request, view, request, object_id, *args, **kw)

    # Django's admin reads some records its own way (the delete summary's related
    # records, the history's past versions): what these pages print is read for the user.
    def changeform_view(self, request: HttpRequest, *args: Any, **kw: Any) -> Any:
        view = super().changeform_view  # type: ignore[misc]
        return _read_for(request, view, request, *args, **kw)

    def delete_view(self, request: HttpRequest, *args: Any, **kw: Any) -> Any:
        view = super().delete_view  # type: ignore[misc]
        return _read_for(request, view, request, *args, **kw)

    def changelist_view(self, request: HttpRequest, *args: Any, **kw: Any) -> Any:
        view = super().changelist_view  # type: ignore[misc]
        return _read_for(request, view, request, *args, **kw)


def _read_for(request: HttpRequest, view: Any, *args: Any, **kw: Any) -> Any:
    """The answer of an admin view, rendered while every record read is read for the
    user (TemplateResponse renders late: here, inside)."""
    with reading_as(request.user):
        response = view(*args, **kw)
        render = getattr(response, "render", None)
        if render is not None and not getattr(response, "is_rendered", True):
            render()
    return response


class ParentAccessInlineMixin:
    """Inline child records: changing them is changing their parent."""

    def _parent_allows(self, request: HttpRequest, obj: Any, action: str) -> bool:
        if obj is None:
            return bool(request.user.is_active and request.user.is_staff)
        return access.can(request.user, action, obj)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._parent_allows(request, obj, access.VIEW)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._parent_allows(request, obj, access.CHANGE)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._parent_allows(request, obj, access.CHANGE)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._parent_allows(request, obj, access.CHANGE)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        _restricted_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


class CitationInline(ParentAccessInlineMixin, GenericTabularInline):
    model = Citation
    extra = 0
    fields = ("source", "field", "quote", "start", "end", "confidence")
    autocomplete_fields = ("source",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return (
            super()
            .get_queryset(request)
            .filter(source__in=Source.objects.visible_to(request.user).values("pk"))
        )


class ChainedHistoryAdmin(SimpleHistoryAdmin):
    """The admin's history of a record lists only the rows in the audit chain."""

    def get_history_queryset(self, *args: Any, **kwargs: Any) -> QuerySet[Any]:
        return chained(super().get_history_queryset(*args, **kwargs))


class RecordAdmin(VisibleQuerysetMixin, ChainedHistoryAdmin):
    """Admin of an OwnedModel: release fields, audit fields, citations, history."""

    inlines: list[Any] = [CitationInline]
    readonly_fields = AUDIT_FIELDS
    filter_horizontal = ("released_to",)
    list_filter: tuple[Any, ...] = ("owner", "release", "marking")
    history_list_display = ["ip_address", "channel"]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        own = ("owner", "marking", "release", "released_to", *AUDIT_FIELDS)
        main = [f for f in fieldsets[0][1]["fields"] if f not in own]
        return [
            (None, {"fields": main}),
            RECORD_FIELDSET,
            (_("History"), {"fields": AUDIT_FIELDS, "classes": ("collapse",)}),
        ]


class ChildInline(ParentAccessInlineMixin, admin.TabularInline):
    extra = 0


@admin.register(Workspace)
class WorkspaceAdmin(ChainedHistoryAdmin):
    list_display = ("name", "slug", "created_at")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Membership)
class MembershipAdmin(ChainedHistoryAdmin):
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


class ReadOnlyAdminMixin:
    """Shown, never added, changed nor deleted here (another path writes these)."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Citation)
class CitationAdmin(ReadOnlyAdminMixin, VisibleQuerysetMixin, ChainedHistoryAdmin):
    """Read-only here: citations are edited with the record they support."""

    list_display = ("__str__", "content_type", "object_id", "field", "confidence")
    list_filter = ("content_type",)
    search_fields = ("quote",)
