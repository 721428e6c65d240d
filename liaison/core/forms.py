"""Form bases: pickers that search as you type, release fields, and the version guard."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liaison.core import access
from liaison.core.models import Workspace
from liaison.core.querysets import visible


class RecordPicker(forms.Select):
    """A select that searches the server as the user types (see static liaison/picker.js).

    Only the chosen value is rendered with the page, so that a large table never
    travels over a slow link, and only records the user may see can be found.
    """

    class Media:
        css = {"all": ["admin/css/vendor/select2/select2.min.css"]}
        js = [
            "admin/js/vendor/jquery/jquery.min.js",
            "admin/js/vendor/select2/select2.full.min.js",
            "admin/js/jquery.init.js",
            "liaison/picker.js",
        ]

    def __init__(self, model: type[models.Model], attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.model = model

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        attrs = dict(attrs or {})
        attrs["data-picker"] = reverse(
            "autocomplete", args=[self.model._meta.app_label, self.model._meta.model_name]
        )
        return super().get_context(name, value, attrs)

    def optgroups(self, name: str, value: list[Any], attrs: dict[str, Any] | None = None) -> Any:
        # Render only the selected choices (and the empty one).
        chosen = {str(v) for v in value if v not in (None, "")}
        choices: Any = self.choices
        queryset = getattr(choices, "queryset", None)
        if queryset is not None:
            choices.queryset = queryset.filter(pk__in=chosen) if chosen else queryset.none()
        return super().optgroups(name, value, attrs)


class RecordPickerMultiple(RecordPicker, forms.SelectMultiple):
    allow_multiple_selected = True


def restrict_choices(form: forms.BaseForm, user: Any) -> None:
    """Every related-record field offers only what the user may see."""
    for field in form.fields.values():
        queryset = getattr(field, "queryset", None)
        if queryset is not None and hasattr(queryset.model._default_manager, "visible_to"):
            chooser: Any = field
            chooser.queryset = visible(queryset.model, user)


class RecordForm(forms.ModelForm[Any]):
    """A model form that knows its user, restricts its pickers and guards its version."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Fields shown as search-as-you-type pickers (foreign keys or many-to-many).
    picker_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, user: Any, workspace: Workspace | None = None, **kw: Any):
        super().__init__(*args, **kw)
        self.user = user
        restrict_choices(self, user)
        for name in self.picker_fields:
            field = self.fields.get(name)
            if field is not None:
                multiple = isinstance(field, forms.ModelMultipleChoiceField)
                widget_class = RecordPickerMultiple if multiple else RecordPicker
                field.widget = widget_class(field.queryset.model)  # type: ignore[attr-defined]
                field.widget.choices = field.choices  # type: ignore[attr-defined]
        if "owner" in self.fields:
            owner_field: Any = self.fields["owner"]
            owner_field.queryset = Workspace.objects.filter(
                pk__in=access.writable_workspace_ids(user, self._meta.model)
            )
            if self.instance.pk is None and workspace is not None:
                self.initial.setdefault("owner", workspace.pk)
        if "released_to" in self.fields:
            released: Any = self.fields["released_to"]
            released.queryset = Workspace.objects.all()
            released.widget = forms.CheckboxSelectMultiple(choices=released.choices)
        if self.instance.pk is not None:
            self.initial["version"] = getattr(self.instance, "version", None)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        release, named = cleaned.get("release"), cleaned.get("released_to")
        if release == "named" and not named and "released_to" in self.fields:
            self.add_error("released_to", _("Name at least one workspace to release to."))
        return cleaned


RELEASE_FIELDS = ["owner", "marking", "release", "released_to"]


class ChildForm(forms.ModelForm[Any]):
    """A child record's form, edited inline on its parent's page (generic formset views).

    Its pickers, like a RecordForm's, offer only the records the user may see; the
    child follows its parent's release, so it has no release fields of its own.
    """

    picker_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, user: Any, **kw: Any):
        super().__init__(*args, **kw)
        self.user = user
        restrict_choices(self, user)
        for name in self.picker_fields:
            field: Any = self.fields.get(name)
            if field is not None:
                field.widget = RecordPicker(field.queryset.model)
                field.widget.choices = field.choices
