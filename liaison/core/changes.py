"""The change log (/changes/): who changed what, across every kind of record, newest first.

Only changes to records the reader sees now are shown (a deleted record, seen by no one,
is not), each named as the reader may read it, and only the history rows in the audit
chain (core.history.chained). Filterable by user, kind of record, kind of change and date.
The rows come from one history table per kind: each gives its newest rows up to the
page asked, and the merge keeps that page (pages go back at most MAX_PAGE).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.core.generic import changes
from liaison.core.history import chained
from liaison.core.querysets import visible
from liaison.core.registry import record_models

PAGE = 50
MAX_PAGE = 40
CHANGE_KINDS = (("+", _("created")), ("~", _("changed")), ("-", _("deleted")))


def kinds() -> dict[str, type[Any]]:
    """{label: model} of the kinds of record that keep a history."""
    return {m._meta.label_lower: m for m in record_models() if hasattr(m, "history")}


class ChangeFilter(forms.Form):
    user = forms.CharField(label=_("User"), required=False, max_length=150)
    kind = forms.ChoiceField(label=_("Kind of record"), required=False)
    change = forms.ChoiceField(
        label=_("Change"), required=False, choices=[("", _("Any")), *CHANGE_KINDS]
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    page = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_PAGE, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options = sorted(
            (
                (label, str(m._meta.verbose_name_plural).capitalize())
                for label, m in kinds().items()
            ),
            key=lambda c: c[1],
        )
        self.fields["kind"].choices = [("", _("Any")), *options]  # type: ignore[attr-defined]


def _rows(model: type[Any], user: Any, data: dict[str, Any], limit: int) -> list[Any]:
    """The newest history rows of `model` that pass the filters, about records `user`
    sees, `limit` at most."""
    rows = chained(model.history.all()).filter(id__in=visible(model, user).values("pk"))
    if data.get("user"):
        rows = rows.filter(history_user__username__iexact=data["user"])
    if data.get("change"):
        rows = rows.filter(history_type=data["change"])
    zone = timezone.get_current_timezone()
    if data.get("since"):
        rows = rows.filter(
            history_date__gte=dt.datetime.combine(data["since"], dt.time.min, tzinfo=zone)
        )
    if data.get("until"):
        rows = rows.filter(
            history_date__lte=dt.datetime.combine(data["until"], dt.time.max, tzinfo=zone)
        )
    return list(rows.select_related("history_user").order_by("-history_date", "-pk")[:limit])


@login_required
def change_log(request: HttpRequest) -> HttpResponse:
    form = ChangeFilter(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    models = kinds()
    chosen = [models[data["kind"]]] if data.get("kind") in models else list(models.values())
    page = data.get("page") or 1
    end = page * PAGE
    found = [(m, row) for m in chosen for row in _rows(m, request.user, data, end + 1)]
    found.sort(key=lambda pair: (pair[1].history_date, pair[1].pk), reverse=True)
    more = len(found) > end and page < MAX_PAGE
    found = found[end - PAGE : end]
    # The records as the reader sees them now: named without what they may not see.
    records: dict[tuple[Any, int], Any] = {}
    for model in {m for m, _row in found}:
        ids = [row.id for m, row in found if m is model]
        for record in visible(model, request.user).filter(pk__in=ids):
            records[(model, record.pk)] = record
    entries = []
    for model, row in found:
        record = records.get((model, row.id))
        if record is None:
            continue
        delta = []
        if row.history_type == "~":
            previous = row.prev_record
            delta = changes(model, row, previous) if previous is not None else []
        entries.append(
            {
                "row": row,
                "kind": model._meta.verbose_name,
                "record": record,
                "changes": delta,
            }
        )
    older, newer = request.GET.copy(), request.GET.copy()
    older["page"] = str(page + 1)
    newer["page"] = str(page - 1)
    context = {
        "form": form,
        "entries": entries,
        "older": older.urlencode() if more else "",
        "newer": newer.urlencode() if page > 1 else "",
    }
    return render(request, "core/changes.html", context)
