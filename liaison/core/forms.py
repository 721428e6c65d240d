"""Form bases: pickers that search as you type, release fields, the version guard, and
links to records the user may not see.

Pickers offer only what the user may see, and name it without what the user may not see
(core.links). A link the record already has to a record the user may not see is neither
shown nor lost: it is kept on save (unless the user picks another record for a single
link).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.forms.models import ModelChoiceIterator
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liaison.core import access
from liaison.core.links import name_paths
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


class NamedChoiceIterator(ModelChoiceIterator):
    """The choices of a record field, named without the linked records the user may not
    see (a school by its organisation's name only if the user sees the organisation)."""

    def __iter__(self) -> Iterator[Any]:
        field: Any = self.field
        if field.empty_label is not None:
            yield ("", field.empty_label)
        records = list(self.queryset)
        for obj in records:
            yield self.choice(obj)


def name_choices(form: forms.BaseForm, user: Any) -> None:
    """Record fields whose choices' names read links name them as `user` may see them."""
    for field in form.fields.values():
        queryset = getattr(field, "queryset", None)
        if queryset is not None and name_paths(queryset.model):
            chooser: Any = field
            chooser.viewer = user
            chooser.iterator = NamedChoiceIterator
            chooser.queryset = queryset  # renews the widget's choices with the iterator


def restrict_choices(form: forms.BaseForm, user: Any) -> None:
    """Every related-record field offers only what the user may see, named as the user
    may see it."""
    for field in form.fields.values():
        queryset = getattr(field, "queryset", None)
        if queryset is not None and hasattr(queryset.model._default_manager, "visible_to"):
            chooser: Any = field
            chooser.queryset = visible(queryset.model, user)
    name_choices(form, user)


def hidden_links(form: forms.ModelForm[Any]) -> dict[str, Any]:
    """{field: what the record links to that the field does not offer the user}: the pk
    of a single link, the pks of a many-to-many one. A single link kept this way is no
    longer required in the form (the record has it)."""
    hidden: dict[str, Any] = {}
    instance = form.instance
    if instance.pk is None:
        return hidden
    for name, field in form.fields.items():
        queryset = getattr(field, "queryset", None)
        if queryset is None or not hasattr(queryset.model._default_manager, "visible_to"):
            continue
        try:
            model_field = instance._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if model_field.many_to_many:
            kept = list(
                getattr(instance, name)
                .exclude(pk__in=queryset.values("pk"))
                .values_list("pk", flat=True)
            )
            if kept:
                hidden[name] = kept
        elif model_field.many_to_one or model_field.one_to_one:
            current = getattr(instance, model_field.attname)
            if current is not None and not queryset.filter(pk=current).exists():
                hidden[name] = current
                field.required = False
    return hidden


def keep_hidden_links(form: forms.ModelForm[Any], hidden: dict[str, Any]) -> None:
    """Put back in the cleaned data the links of `hidden_links`: added to the records
    chosen (many-to-many), or as they were when nothing else was chosen (single link)."""
    cleaned = form.cleaned_data
    for name, kept in hidden.items():
        related: Any = form.instance._meta.get_field(name).related_model
        manager = related._default_manager
        if isinstance(kept, list):
            cleaned[name] = [*(cleaned.get(name) or []), *manager.filter(pk__in=kept)]
        elif cleaned.get(name) is None and name not in form.errors:
            cleaned[name] = manager.get(pk=kept)


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
            # A new record goes to the current workspace (model_to_dict gives owner None).
            new = self.instance.pk is None and self.initial.get("owner") is None
            if new and workspace is not None:
                self.initial["owner"] = workspace.pk
        if "released_to" in self.fields:
            released: Any = self.fields["released_to"]
            released.queryset = Workspace.objects.all()
            released.widget = forms.CheckboxSelectMultiple(choices=released.choices)
        if self.instance.pk is not None:
            self.initial["version"] = getattr(self.instance, "version", None)
        self.hidden_links = hidden_links(self)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        release, named = cleaned.get("release"), cleaned.get("released_to")
        if release == "named" and not named and "released_to" in self.fields:
            self.add_error("released_to", _("Name at least one workspace to release to."))
        keep_hidden_links(self, self.hidden_links)
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
        self.hidden_links = hidden_links(self)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        keep_hidden_links(self, self.hidden_links)
        return cleaned


_SELECT_TEMPLATES = ("django/forms/widgets/select.html", "django/forms/widgets/select_option.html")


def _attrs_html(attrs: dict[str, Any], context: Any) -> str:
    """What django/forms/widgets/attrs.html prints of `attrs`."""
    from django.template.base import render_value_in_context
    from django.template.defaultfilters import stringformat

    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(" " + render_value_in_context(name, context))
        if value is not True:
            parts.append('="' + render_value_in_context(stringformat(value, "s"), context) + '"')
    return "".join(parts)


class FastSelectMixin:
    """Renders a select with its stock templates' very output, in Python: a list with
    thousands of choices costs one template include per choice otherwise."""

    def _render(self, template_name: str, context: dict[str, Any], renderer: Any = None) -> Any:
        option_template = getattr(self, "option_template_name", None)
        if (template_name, option_template) != _SELECT_TEMPLATES:
            return super()._render(template_name, context, renderer)  # type: ignore[misc]
        from django.template import Context
        from django.template.base import render_value_in_context
        from django.template.defaultfilters import stringformat
        from django.utils.safestring import mark_safe

        ctx = Context(autoescape=True)
        widget = context["widget"]
        out = [
            '<select name="',
            render_value_in_context(widget["name"], ctx),
            '"',
            _attrs_html(widget["attrs"], ctx),
            ">",
        ]
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                out.append(
                    '\n  <optgroup label="' + render_value_in_context(group_name, ctx) + '">'
                )
            for option in group_choices:
                if option["template_name"] != _SELECT_TEMPLATES[1]:
                    return super()._render(template_name, context, renderer)  # type: ignore[misc]
                out.append(
                    '\n  <option value="'
                    + render_value_in_context(stringformat(option["value"], "s"), ctx)
                    + '"'
                    + _attrs_html(option["attrs"], ctx)
                    + ">"
                    + render_value_in_context(option["label"], ctx)
                    + "</option>\n"
                )
            if group_name:
                out.append("\n  </optgroup>")
        out.append("\n</select>")
        return mark_safe("".join(out))


class FastSelect(FastSelectMixin, forms.Select):
    pass


class FastSelectMultiple(FastSelectMixin, forms.SelectMultiple):
    pass


FAST_SELECTS: dict[type[Any], type[Any]] = {
    forms.Select: FastSelect,
    forms.SelectMultiple: FastSelectMultiple,
}


def fast_selects(form: forms.BaseForm) -> None:
    """The plain selects of `form` render the same HTML in a fraction of the time."""
    for field in form.fields.values():
        fast = FAST_SELECTS.get(type(field.widget))
        if fast is not None:
            field.widget.__class__ = fast
