"""Bulk edit and bulk delete of the records ticked on a list page (NetBox-style).

The list posts the ticked ids here. Each record must be one the user sees (else 404, as
for one record) and may change or delete (else 403, nothing done). One confirmation
page lists what will change; confirming writes through the one bulk write path
(core.bulk), so that every record gets its history row, audit link and search entry.
Every record's rules (`full_clean()`) are checked before anything is written, and a
record changed by someone else since the confirmation page was shown stops the whole.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from liaison.core import access, bulk
from liaison.core.forms import restrict_choices
from liaison.core.generic import RecordView, url_name

# A bulk action acts on at most this many records (a page of the longest list).
MAX_RECORDS = 1000


def selected_ids(request: HttpRequest) -> list[int]:
    ids = {int(v) for v in request.POST.getlist("pk") if v.isdigit()}
    return sorted(ids)[: MAX_RECORDS + 1]


class BulkView(RecordView):
    action: ClassVar[str]
    list_view: ClassVar[Any]

    def selection(self, request: HttpRequest, lock: bool = False) -> list[Any]:
        """The ticked records: all seen by the user (404 otherwise, as for one record),
        all allowed to them (403 otherwise)."""
        ids = selected_ids(request)
        if len(ids) > MAX_RECORDS:
            raise PermissionDenied(_("At most %(count)s records at once.") % {"count": MAX_RECORDS})
        queryset = self.base_queryset(request).filter(pk__in=ids)
        if lock:
            queryset = queryset.select_for_update()
        records = list(queryset.order_by("pk"))
        if len(records) != len(ids):
            raise Http404
        roles = access.required_roles(access.record_model(self.model), self.action)
        allowed = access.workspaces_with_role(request.user, roles)
        if any(access.owner_workspace_id(r) not in allowed for r in records):
            raise PermissionDenied
        return records

    def back(self, request: HttpRequest) -> str:
        """The list the user came from, with its filters."""
        query = request.POST.get("return_query", "")
        return reverse(url_name(self.model, "list")) + (f"?{query}" if query else "")

    def context(self, request: HttpRequest, records: list[Any]) -> dict[str, Any]:
        return {
            **self.page_context(request),
            "records": records,
            "return_query": request.POST.get("return_query", ""),
            "back_url": self.back(request),
        }


def _shown(field: models.Field[Any, Any], value: Any) -> str:
    """A value as the reader knows it: a choice's label, a localised date."""
    if value is None or value == "":
        return "—"
    labels = dict(field.flatchoices) if field.choices else {}
    if value in labels:
        return str(labels[value])
    if isinstance(value, models.Model):
        return str(value)
    return str(formats.localize(value))


class BulkEditForm(forms.Form):
    """The table's `bulk_fields`, each optional: left empty, a field is not changed;
    ticked in `clear`, it is emptied."""

    def __init__(self, *args: Any, model: type[models.Model], names: tuple[str, ...], user: Any):
        super().__init__(*args)
        self.model = model
        clearable = []
        for name in names:
            model_field: Any = model._meta.get_field(name)
            field: Any = model_field.formfield(required=False)
            field.initial = None  # not the model's default: empty means unchanged
            if isinstance(field, forms.TypedChoiceField):
                field.choices = [("", _("(unchanged)")), *model_field.choices]
            elif isinstance(field, forms.ModelChoiceField):
                field.empty_label = _("(unchanged)")
            if isinstance(field, forms.DateField):
                field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            self.fields[name] = field
            if model_field.null or (model_field.blank and not model_field.choices):
                clearable.append((name, model_field.verbose_name))
        restrict_choices(self, user)
        self.fields["clear"] = forms.MultipleChoiceField(
            label=gettext_lazy("Empty these fields"),
            choices=clearable,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in cleaned.get("clear") or []:
            if cleaned.get(name) not in (None, ""):
                self.add_error(name, _("Either set this field or empty it, not both."))
        if not self.changes():
            raise ValidationError(_("Choose at least one field to change."))
        return cleaned

    def changes(self) -> dict[str, Any]:
        """{field: new value} of what the form sets."""
        cleaned = getattr(self, "cleaned_data", {})
        found = {
            name: value
            for name, value in cleaned.items()
            if name != "clear" and value not in (None, "")
        }
        for name in cleaned.get("clear") or []:
            field: Any = self.model._meta.get_field(name)
            found[name] = None if field.null else ""
        return found


class ObjectBulkEditView(BulkView):
    """Step 1 (posted from the list): the form. Step 2 (`preview`): the records and what
    changes, every rule checked. Step 3 (`apply`, with the versions seen): written."""

    action = access.CHANGE
    template_name = "core/bulk_edit.html"

    def form(self, request: HttpRequest, bound: bool) -> BulkEditForm:
        names = tuple(self.list_view.table_class.bulk_fields)
        return BulkEditForm(
            request.POST if bound else None, model=self.model, names=names, user=request.user
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        step = request.POST.get("step", "")
        records = self.selection(request, lock=False)
        if not records:
            messages.error(request, _("Tick at least one record."))
            return redirect(self.back(request))
        form = self.form(request, bound=step in ("preview", "apply"))
        if not form.is_bound or not form.is_valid():
            return self.show(request, records, form, status=400 if form.is_bound else 200)
        if step == "apply":
            return self.apply(request, form)
        rows, errors = self.preview(records, form.changes())
        for error in errors:
            form.add_error(None, error)
        if errors:
            return self.show(request, records, form, status=400)
        return self.show(request, records, form, rows=rows)

    def preview(
        self, records: list[Any], changes: dict[str, Any]
    ) -> tuple[list[dict[str, Any]], list[str]]:
        """Each record with (label, before, after) of what changes, and the rules broken."""
        rows, errors = [], []
        for record in records:
            delta = []
            for name, value in changes.items():
                field: Any = self.model._meta.get_field(name)
                before = getattr(record, name)
                if before != value:
                    delta.append((field.verbose_name, _shown(field, before), _shown(field, value)))
                setattr(record, name, value)
            if changes.get("release") == "named" and not record.released_to.exists():
                errors.append(
                    _("%(record)s: name at least one workspace to release to.") % {"record": record}
                )
            try:
                record.full_clean(exclude=["released_to"])
            except ValidationError as invalid:
                for messages_ in invalid.message_dict.values():
                    errors.extend(f"{record}: {m}" for m in messages_)
            rows.append({"record": record, "changes": delta})
        return rows, errors

    def apply(self, request: HttpRequest, form: BulkEditForm) -> HttpResponse:
        changes = form.changes()
        try:
            with transaction.atomic():
                records = self.selection(request, lock=True)
                for record in records:
                    seen = request.POST.get(f"version_{record.pk}")
                    if str(record.version) != seen:
                        raise ValidationError(
                            _(
                                "%(record)s was changed by someone else meanwhile: nothing was "
                                "saved."
                            )
                            % {"record": record}
                        )
                _rows, errors = self.preview(records, changes)
                if errors:
                    raise ValidationError(errors)
                bulk.update(self.model, records, set(changes))
        except ValidationError as invalid:
            for message in invalid.messages:
                form.add_error(None, message)
            return self.show(request, self.selection(request), form, status=409)
        messages.success(
            request,
            ngettext("%(count)s record changed.", "%(count)s records changed.", len(records))
            % {"count": len(records)},
        )
        return redirect(self.back(request))

    def show(
        self,
        request: HttpRequest,
        records: list[Any],
        form: BulkEditForm,
        rows: list[dict[str, Any]] | None = None,
        status: int = 200,
    ) -> HttpResponse:
        context = {**self.context(request, records), "form": form, "rows": rows}
        return render(request, self.template_name, context, status=status)


class ObjectBulkDeleteView(BulkView):
    """Step 1 (posted from the list): the records to delete. Step 2 (`apply`): deleted,
    all or none (a record still used by others keeps them all)."""

    action = access.DELETE
    template_name = "core/bulk_delete.html"

    def post(self, request: HttpRequest) -> HttpResponse:
        records = self.selection(request)
        if not records:
            messages.error(request, _("Tick at least one record."))
            return redirect(self.back(request))
        if request.POST.get("step") != "apply":
            return render(request, self.template_name, self.context(request, records))
        try:
            with transaction.atomic():
                bulk.delete(self.selection(request, lock=True))
        except models.ProtectedError:
            messages.error(
                request,
                _("Some of these records are still used by other records: none was deleted."),
            )
            return redirect(self.back(request))
        messages.success(
            request,
            ngettext("%(count)s record deleted.", "%(count)s records deleted.", len(records))
            % {"count": len(records)},
        )
        return redirect(self.back(request))
