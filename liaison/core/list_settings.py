"""What a list page remembers for its user (core.Preference.lists): the columns, in the
order chosen, and the page size; and the active filters it shows as removable chips."""

from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.core.models import Preference
from liaison.core.tables import PAGE_SIZES

# Query parameters that shape the page rather than filter the records.
NOT_FILTERS = frozenset({"sort", "page", "columns", "per_page", "export"})
RANGE_SUFFIXES = ("_after", "_before", "_min", "_max")


def model_key(model: type[models.Model]) -> str:
    return model._meta.label_lower


def saved_settings(user: Any, model: type[models.Model]) -> dict[str, Any]:
    """{"columns": [...], "per_page": n} as the user last saved them for this list."""
    if not getattr(user, "is_authenticated", False):
        return {}
    lists = Preference.objects.filter(user=user).values_list("lists", flat=True).first()
    found = (lists or {}).get(model_key(model))
    return found if isinstance(found, dict) else {}


def page_size(requested: str | None, saved: dict[str, Any]) -> int:
    """The page size asked in the query, else the saved one, else 50 (only sizes offered)."""
    for value in (requested, saved.get("per_page")):
        try:
            size = int(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
        if size in PAGE_SIZES:
            return size
    return 50


@login_required
@require_POST
def save_list_settings(request: HttpRequest) -> HttpResponse:
    """Keep the columns (in the order posted) and page size of one list for its user;
    `reset` forgets them. Unknown lists are refused; unknown columns are ignored when read
    (core.tables.RecordTable.columns_for)."""
    key = request.POST.get("model", "")
    try:
        apps.get_model(key)
    except (LookupError, ValueError):
        return HttpResponseBadRequest(_("Unknown list."))
    preference, _created = Preference.objects.get_or_create(user=request.user)  # type: ignore[misc]
    lists = dict(preference.lists or {})
    if "reset" in request.POST:
        lists.pop(key, None)
    else:
        columns = [c for c in request.POST.getlist("columns") if c.isidentifier()][:100]
        lists[key] = {"columns": columns, "per_page": page_size(request.POST.get("per_page"), {})}
    preference.lists = lists
    preference.save(update_fields=["lists"])
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = "/"
    return redirect(target)


def _chip_values(field: forms.Field, values: list[str]) -> dict[str, str]:
    """{value: how the reader knows it} for the values of one filter."""
    queryset = getattr(field, "queryset", None)
    if queryset is not None:
        try:
            return {str(obj.pk): str(obj) for obj in queryset.filter(pk__in=values)}
        except (ValueError, ValidationError):
            return {}
    choices = getattr(field, "choices", None) or getattr(field.widget, "choices", None)
    if choices:
        return {str(k): str(v) for k, v in choices if str(k) in values}
    return {v: v for v in values}


def filter_chips(form: forms.Form, query: QueryDict) -> list[dict[str, str]]:
    """One chip per active filter value: its label, its value as the reader knows it
    (never a record the reader may not see: the form's choices are theirs) and the query
    without it."""
    chips = []
    for key in query:
        if key in NOT_FILTERS:
            continue
        name = key
        for suffix in RANGE_SUFFIXES:
            if key.endswith(suffix) and key.removesuffix(suffix) in form.fields:
                name = key.removesuffix(suffix)
        field = form.fields.get(name)
        values = [v for v in query.getlist(key) if v not in ("", "unknown")]
        if field is None or not values:
            continue
        named = _chip_values(field, values)
        label = str(field.label or name)
        if key != name:
            label = f"{label} ({_('from') if key.endswith(('_after', '_min')) else _('to')})"
        for value in values:
            if value not in named:
                continue  # not offered to this reader: named nowhere
            rest = query.copy()
            rest.setlist(key, [v for v in query.getlist(key) if v != value])
            rest.pop("page", None)
            chips.append({"label": label, "value": named[value], "query": rest.urlencode()})
    return chips
