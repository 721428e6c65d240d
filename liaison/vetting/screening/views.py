"""Vetting officers' pages: the open hits to adjudicate, and the adjudication form.

Every query starts from ScreeningHit.objects.visible_to(user): anyone else gets an empty
list and the 404 of a record outside their reach.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison.vetting.models import ScreeningHit
from liaison.vetting.screening import service

STATUS_FILTERS = {
    "open": ScreeningHit.Status.OPEN,
    "true_match": ScreeningHit.Status.TRUE_MATCH,
    "false_positive": ScreeningHit.Status.FALSE_POSITIVE,
}


class AdjudicationForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("decision"),
        choices=[
            (ScreeningHit.Status.TRUE_MATCH, ScreeningHit.Status.TRUE_MATCH.label),
            (ScreeningHit.Status.FALSE_POSITIVE, ScreeningHit.Status.FALSE_POSITIVE.label),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "What shows that this is, or is not, the listed person or organisation "
            "(birth date, document, unit, source consulted)."
        ),
        max_length=4000,
    )


def _hits(request: HttpRequest) -> Any:
    return ScreeningHit.objects.visible_to(request.user).select_related(
        "entry__screening_list", "person", "organization", "adjudicated_by"
    )


@login_required
def hit_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    hits = _hits(request)
    if status in STATUS_FILTERS:
        hits = hits.filter(status=STATUS_FILTERS[status])
    page = Paginator(hits.order_by("-score", "-created_at", "pk"), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "vetting/screening/hit_list.html",
        {
            "page": page,
            "status": status,
            "statuses": [
                ("open", _("To adjudicate")),
                ("true_match", _("True matches")),
                ("false_positive", _("False positives")),
                ("all", _("All")),
            ],
        },
    )


@login_required
def hit_adjudicate(request: HttpRequest, pk: int) -> HttpResponse:
    hit = get_object_or_404(_hits(request), pk=pk)
    form = AdjudicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            locked = ScreeningHit.objects.select_for_update().get(pk=hit.pk)
            if locked.status != ScreeningHit.Status.OPEN:
                form.add_error(
                    None,
                    _("%(user)s adjudicated this hit meanwhile: %(status)s.")
                    % {"user": locked.adjudicated_by or "?", "status": locked.get_status_display()},
                )
            else:
                service.adjudicate(
                    locked, form.cleaned_data["decision"], form.cleaned_data["reason"], request.user
                )
                messages.success(
                    request,
                    _("Recorded: %(subject)s and “%(entry)s”: %(status)s.")
                    % {
                        "subject": hit.person or hit.organization,
                        "entry": hit.entry.caption,
                        "status": locked.get_status_display(),
                    },
                )
                return redirect("vetting:screeninghit_list")
    return render(request, "vetting/screening/hit_adjudicate.html", {"hit": hit, "form": form})
