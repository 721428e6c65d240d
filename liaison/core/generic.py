"""Generic record views: a list, detail or edit page is configuration, not code.

An app's view is a class naming its model, filterset, table, form and template; these
bases do the work and always start from the one enforcement point (`visible_to`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import django_tables2 as tables
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from liaison.core import access
from liaison.core.concurrency import StaleVersion, lock_current_version
from liaison.core.exports import FORMATS, export_rows, table_values
from liaison.core.history import chained
from liaison.core.links import (
    has_release,
    shown_related,
    visible_link,
)
from liaison.core.list_settings import filter_chips, model_key, page_size, saved_settings
from liaison.core.models import Citation, SavedFilter
from liaison.core.querysets import visible
from liaison.core.registry import detail_sections
from liaison.core.tables import PAGE_SIZES, SelectColumn


def ordered_choices(choices: list[tuple[str, Any]], shown: list[str]) -> list[tuple[str, Any]]:
    """The columns offered, those shown first in the order shown."""
    labels = dict(choices)
    return [(n, labels[n]) for n in shown if n in labels] + [
        c for c in choices if c[0] not in shown
    ]


def url_name(model: type[models.Model], suffix: str = "") -> str:
    name = f"{model._meta.app_label}:{model._meta.model_name}"
    return f"{name}_{suffix}" if suffix else name


class RecordView(LoginRequiredMixin, View):
    model: ClassVar[type[models.Model]]

    def base_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        return visible(self.model, request.user)

    def get_object(self, request: HttpRequest, pk: int) -> Any:
        """The record if the user may see it; 404 otherwise, whether it exists or not.
        Read for the user, it shows nothing of the linked records they may not see
        (core.withholding)."""
        obj = self.base_queryset(request).filter(pk=pk).first()
        if obj is None:
            raise Http404
        return obj

    def page_context(self, request: HttpRequest) -> dict[str, Any]:
        meta = self.model._meta
        return {
            "model": self.model,
            "verbose_name": meta.verbose_name,
            "verbose_name_plural": meta.verbose_name_plural,
            "list_url": reverse(url_name(self.model, "list")),
            "can_add": access.can_add(request.user, self.model),
            "add_url": _reverse_or_none(url_name(self.model, "add")),
            "import_links": import_links(request, self.model),
            "extra_actions": self.extra_actions(request),
        }

    def extra_actions(self, request: HttpRequest) -> list[tuple[str, str]]:
        """(label, url) of the page's own buttons beside Add and Import."""
        return []


def import_links(request: HttpRequest, model: type[models.Model]) -> list[tuple[str, str]]:
    """(label, url) of the imports of this kind of record and of its children."""
    from liaison.core.imports.spec import kinds

    links = []
    for kind in kinds():
        target = kind.model_class
        parent = target._meta.get_field(kind.parent).related_model if kind.parent else None
        if model in (target, parent) and access.can_add(request.user, target):
            label = (
                _("Import")
                if target is model
                else _("Import %(records)s") % {"records": target._meta.verbose_name_plural}
            )
            links.append((label, reverse("core:import_upload", args=[kind.slug])))
    return links


def saved_filters(request: HttpRequest) -> models.QuerySet[SavedFilter]:
    user: Any = request.user
    return SavedFilter.objects.filter(user=user, path=request.path)


def _reverse_or_none(name: str, *args: Any) -> str | None:
    from django.urls import NoReverseMatch

    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


class ObjectListView(RecordView):
    """Filter, sort, paginate, choose columns, export; HTMX swaps only the results."""

    filterset_class: ClassVar[Any]
    table_class: ClassVar[type[tables.Table]]
    template_name = "core/object_list.html"
    select_related: ClassVar[tuple[str, ...]] = ()

    def get(self, request: HttpRequest) -> HttpResponseBase:
        queryset = self.base_queryset(request).select_related(*self.select_related)
        queryset = queryset.prefetch_related(*self.m2m_prefetches(request, queryset))
        filterset = self.filterset_class(request.GET or None, queryset=queryset, request=request)
        # No filter asked: every row; filters that do not validate: none.
        rows = filterset.qs if not filterset.is_bound or filterset.is_valid() else queryset.none()
        table_class: Any = self.table_class
        # Columns asked in the query, else those the user saved for this list (in order).
        settings = saved_settings(request.user, self.model)
        columns = table_class.columns_for(
            request.GET.getlist("columns") or settings.get("columns") or []
        )
        exclude = [name for name in table_class.base_columns if name not in columns]
        export = request.GET.get("export")
        bulk = {} if export in FORMATS else self.bulk_urls(request)
        table = table_class(
            rows,
            exclude=exclude,
            sequence=[*(["select"] if bulk else []), *columns, "..."],
            extra_columns=[("select", SelectColumn())] if bulk else [],
            order_by=request.GET.get("sort"),
        )
        if export in FORMATS:
            return export_rows(
                table_values(table), str(self.model._meta.verbose_name_plural), export
            )
        per_page = page_size(request.GET.get("per_page"), settings)
        tables.RequestConfig(request, paginate={"per_page": per_page}).configure(table)
        context = {
            **self.page_context(request),
            "filter": filterset,
            "table": table,
            "columns": columns,
            "choosable_columns": ordered_choices(table_class.choosable_columns(), columns),
            "model_key": model_key(self.model),
            "per_page": per_page,
            "page_sizes": PAGE_SIZES,
            "chips": filter_chips(filterset.form, request.GET),
            "bulk": bulk,
            "querystring": request.GET.urlencode(),
            "saved_filters": saved_filters(request),
        }
        if getattr(request, "htmx", False) and request.htmx.target == "results":  # type: ignore[attr-defined]
            return render(request, "core/_results.html", context)
        return render(request, self.template_name, context)

    def bulk_urls(self, request: HttpRequest) -> dict[str, str]:
        """{"edit": url, "delete": url} of the bulk actions the user may take on some of
        these records (each record is checked again when acted on)."""
        urls = {}
        for action, kind in ((access.CHANGE, "edit"), (access.DELETE, "delete")):
            url = _reverse_or_none(url_name(self.model, f"bulk_{kind}"))
            roles = access.required_roles(access.record_model(self.model), action)
            if url and access.workspaces_with_role(request.user, roles):
                urls[kind] = url
        return urls

    def m2m_prefetches(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> list[Any]:
        """The many-to-many columns of the table, prefetched with only the records the user
        may see (unless the view prefetches them itself)."""
        lookups: Any = getattr(queryset, "_prefetch_related_lookups", ())
        done = {getattr(p, "prefetch_to", p) for p in lookups}
        prefetches = []
        for name, column in self.table_class.base_columns.items():
            if not isinstance(column, tables.ManyToManyColumn):
                continue
            field_name = str(column.accessor or name)
            try:
                field: Any = self.model._meta.get_field(field_name)
            except FieldDoesNotExist:
                continue
            if field.many_to_many and has_release(field.related_model) and field_name not in done:
                prefetches.append(visible_link(field_name, field.related_model, request.user))
        return prefetches


class ObjectDetailView(RecordView):
    template_name = "core/object_detail.html"
    # Names of the fields shown in the summary; all of them when empty.
    summary_fields: ClassVar[tuple[str, ...]] = ()

    def related(self, request: HttpRequest, obj: Any) -> list[dict[str, Any]]:
        """Sections of related records, each already restricted to what the user sees."""
        return []

    def contributed(self, request: HttpRequest, obj: Any) -> list[dict[str, Any]]:
        """The sections other apps add to this kind's page (core.registry, store
        `detail_sections`), after the page's own: the app that holds the related records
        builds them, so that this page's app need not know it."""
        return [s.build(request, obj) for s in detail_sections(self.model)]

    def extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        """What a record's own template shows beyond the summary and related lists."""
        return {}

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(request, pk)
        related = [*self.related(request, obj), *self.contributed(request, obj)]
        history = list(
            chained(obj.history.select_related("history_user")).order_by("-history_date")[:20]
        )
        context = {
            **self.page_context(request),
            "object": obj,
            "fields": field_rows(obj, self.summary_fields, request.user),
            "related": related,
            "citations": [
                _labelled(citation, self.model)
                for citation in Citation.objects.for_record(obj, request.user).select_related(
                    "source"
                )
            ],
            "history": [
                (h, changes(self.model, h, history[i + 1]) if i + 1 < len(history) else [])
                for i, h in enumerate(history)
            ],
            "can_change": access.can(request.user, access.CHANGE, obj),
            "can_delete": access.can(request.user, access.DELETE, obj),
            "edit_url": _reverse_or_none(url_name(self.model, "edit"), obj.pk),
            "delete_url": _reverse_or_none(url_name(self.model, "delete"), obj.pk),
            **self.extra_context(request, obj),
        }
        return render(request, self.template_name, context)


def field_label(model: type[models.Model] | None, name: str) -> str:
    """The name of a cited field as the reader knows it ('' for the whole record)."""
    if not name:
        return ""
    try:
        field: Any = model._meta.get_field(name) if model is not None else None
    except FieldDoesNotExist:
        return name
    if getattr(field, "verbose_name", None) is None and getattr(field, "related_model", None):
        return str(field.related_model._meta.verbose_name_plural)  # a reverse relation's rows
    return str(getattr(field, "verbose_name", name))


def _labelled(citation: Any, model: type[models.Model]) -> Any:
    """A citation with the cited field named as the reader knows it (`field_label`)."""
    citation.field_label = field_label(model, citation.field)
    return citation


def section(
    title: Any,
    rows: models.QuerySet[Any],
    limit: int = 50,
    item: Callable[[Any], Any] | None = None,
) -> dict[str, Any]:
    """A related list on a detail page: the first `limit` rows and the total, in two queries."""
    items = list(rows[: limit + 1])
    count = len(items) if len(items) <= limit else rows.count()
    shown = [item(x) for x in items[:limit]] if item else items[:limit]
    return {"title": title, "rows": shown, "count": count}


def changes(model: type[models.Model], newer: Any, older: Any) -> list[tuple[str, Any, Any]]:
    """(field label, before, after) between two history rows; choices shown by label."""
    rows = []
    for change in newer.diff_against(older).changes:
        try:
            field: Any = model._meta.get_field(change.field)
        except FieldDoesNotExist:
            rows.append((change.field, change.old, change.new))
            continue
        labels = dict(field.choices or ())
        rows.append(
            (
                str(field.verbose_name),
                labels.get(change.old, change.old),
                labels.get(change.new, change.new),
            )
        )
    return rows


def field_rows(obj: models.Model, names: tuple[str, ...], user: Any) -> list[tuple[str, Any]]:
    """(label, display value) for the summary of a record. A linked record the user may
    not see reads as withheld (a many-to-many link shows only those the user sees): one
    query per link shown, whatever the number of linked records."""
    skip = {"id", "version", "released_to"}
    fields = [
        f
        for f in obj._meta.get_fields()
        if (getattr(f, "concrete", False) or f.many_to_many)
        and not f.auto_created
        and f.name not in skip
    ]
    if names:
        by_name = {f.name: f for f in fields}
        fields = [by_name[n] for n in names if n in by_name]
    rows = []
    for field in fields:
        if field.many_to_many:
            value: Any = ", ".join(str(v) for v in shown_related(obj, field.name, user))
        elif getattr(field, "choices", None):
            value = getattr(obj, f"get_{field.name}_display")()
        else:
            value = getattr(obj, field.name)
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        elif isinstance(value, bool):
            value = _("yes") if value else _("no")
        rows.append((str(getattr(field, "verbose_name", field.name)), value))
    return rows


class ObjectEditView(RecordView):
    """Create or change a record; a stale form is refused and nothing is overwritten."""

    form_class: ClassVar[Any]
    template_name = "core/object_edit.html"

    # Fields a clone does not copy (besides unique ones): identifiers of the original.
    clone_exclude: ClassVar[tuple[str, ...]] = ("external_id", "iati_identifier", "version")

    def get_form(self, request: HttpRequest, obj: Any) -> Any:
        initial = self.clone_initial(request) if obj.pk is None and request.method == "GET" else {}
        return self.form_class(
            request.POST or None,
            request.FILES or None,
            instance=obj,
            initial=initial,
            user=request.user,
            workspace=getattr(request, "workspace", None),
        )

    def clone_initial(self, request: HttpRequest) -> dict[str, Any]:
        """`?clone=<pk>`: the add form prefilled from a record the user sees (404 for
        one they may not see), its links only those the user sees (core.withholding)."""
        source_id = request.GET.get("clone", "")
        if not source_id.isdigit():
            return {}
        source = self.get_object(request, int(source_id))
        form = self.form_class(
            instance=source, user=request.user, workspace=getattr(request, "workspace", None)
        )
        unique = {f.name for f in self.model._meta.fields if f.unique}
        return {
            name: value
            for name, value in form.initial.items()
            if name in form.fields and name not in unique and name not in self.clone_exclude
        }

    def _instance(self, request: HttpRequest, pk: int | None) -> Any:
        if pk is None:
            if not access.can_add(request.user, self.model):
                raise PermissionDenied
            return self.model()
        obj = self.get_object(request, pk)
        if not access.can(request.user, access.CHANGE, obj):
            raise PermissionDenied
        return obj

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        obj = self._instance(request, pk)
        return self.render_form(request, obj, self.get_form(request, obj))

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        obj = self._instance(request, pk)
        form = self.get_form(request, obj)
        if form.is_valid():
            owner = form.cleaned_data.get("owner")
            if owner is not None and not access.can_add(request.user, self.model, owner.pk):
                raise PermissionDenied
            try:
                with transaction.atomic():
                    lock_current_version(obj, form.cleaned_data.get("version"))
                    saved = form.save()
            except StaleVersion as stale:
                form.add_error(None, str(stale))
            else:
                messages.success(request, _("Saved."))
                return redirect(saved.get_absolute_url())
        return self.render_form(request, obj, form, status=400 if request.method == "POST" else 200)

    def render_form(
        self, request: HttpRequest, obj: Any, form: Any, status: int = 200
    ) -> HttpResponse:
        context = {**self.page_context(request), "object": obj if obj.pk else None, "form": form}
        return render(request, self.template_name, context, status=status)


class ObjectDeleteView(RecordView):
    template_name = "core/object_delete.html"

    def _allowed(self, request: HttpRequest, pk: int) -> Any:
        obj = self.get_object(request, pk)
        if not access.can(request.user, access.DELETE, obj):
            raise PermissionDenied
        return obj

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self._allowed(request, pk)
        return render(request, self.template_name, {**self.page_context(request), "object": obj})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self._allowed(request, pk)
        try:
            with transaction.atomic():
                obj.delete()
        except models.ProtectedError:
            messages.error(request, _("This record is still used by other records: it was kept."))
            return redirect(obj.get_absolute_url())
        messages.success(request, _("Deleted."))
        return redirect(reverse(url_name(self.model, "list")))


class ObjectFormsetEditView(ObjectEditView):
    """An edit page whose child records are edited inline, saved with their parent.

    `formsets` maps a prefix to an inline formset class whose forms are
    `core.forms.ChildForm`s. The children are saved in the parent's transaction, after
    its version check, so that a stale page changes neither the parent nor its children.
    """

    template_name = "core/object_formset_edit.html"
    formsets: ClassVar[dict[str, Any]] = {}

    def child_queryset(self, request: HttpRequest, formset_class: Any) -> models.QuerySet[Any]:
        """The children offered for editing: those the user sees (the formset keeps its
        parent's)."""
        return visible(formset_class.model, request.user)

    def get_formsets(self, request: HttpRequest, obj: Any) -> list[Any]:
        bound = request.method == "POST"
        return [
            formset_class(
                request.POST if bound else None,
                request.FILES if bound else None,
                instance=obj,
                prefix=prefix,
                queryset=self.child_queryset(request, formset_class),
                form_kwargs={"user": request.user},
            )
            for prefix, formset_class in self.formsets.items()
        ]

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        obj = self._instance(request, pk)
        form = self.get_form(request, obj)
        return self.render_form(request, obj, form, formsets=self.get_formsets(request, obj))

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        obj = self._instance(request, pk)
        form = self.get_form(request, obj)
        formsets = self.get_formsets(request, obj)
        form_valid = form.is_valid()
        if all([form_valid, *(formset.is_valid() for formset in formsets)]):
            owner = form.cleaned_data.get("owner")
            if owner is not None and not access.can_add(request.user, self.model, owner.pk):
                raise PermissionDenied
            try:
                with transaction.atomic():
                    lock_current_version(obj, form.cleaned_data.get("version"))
                    saved = form.save()
                    for formset in formsets:
                        formset.instance = saved
                        formset.save()
            except StaleVersion as stale:
                form.add_error(None, str(stale))
            else:
                messages.success(request, _("Saved."))
                return redirect(saved.get_absolute_url())
        return self.render_form(request, obj, form, status=400, formsets=formsets)

    def render_form(
        self,
        request: HttpRequest,
        obj: Any,
        form: Any,
        status: int = 200,
        formsets: list[Any] | None = None,
    ) -> HttpResponse:
        formsets = formsets or []
        media = form.media
        for formset in formsets:
            formset.title = formset.model._meta.verbose_name_plural
            media += formset.media
        context = {
            **self.page_context(request),
            "object": obj if obj.pk else None,
            "form": form,
            "formsets": formsets,
            "media": media,
        }
        return render(request, self.template_name, context, status=status)
