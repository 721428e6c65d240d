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
from django.http import Http404, HttpRequest, HttpResponse
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


class ListUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("list file"),
        help_text=gettext_lazy(
            "FollowTheMoney JSON lines (OpenSanctions) or OFAC's SDN CSV with its header row."
        ),
    )
    list_name = forms.CharField(label=gettext_lazy("list name"), max_length=200)
    file_format = forms.ChoiceField(
        label=gettext_lazy("file format"),
        choices=[
            ("", gettext_lazy("From the file name")),
            ("ftm", "FollowTheMoney"),
            ("ofac-csv", "OFAC SDN CSV"),
        ],
        required=False,
    )


@login_required
def list_import(request: HttpRequest) -> HttpResponse:
    """The sanctions lists and their last imports; vetting officers upload a new version
    of a list here, imported in the background as `liaison screening import` does."""
    import secrets
    from pathlib import Path

    from liaison.core.access import has_role_anywhere
    from liaison.core.choices import Role
    from liaison.core.imports.jobs import upload_dir
    from liaison.core.tasks import start
    from liaison.vetting.models import ScreeningList
    from liaison.vetting.screening.formats import guess_format
    from liaison.vetting.screening.tasks import import_list_task

    if not has_role_anywhere(request.user, frozenset({Role.VETTING_OFFICER})):
        raise Http404
    form = ListUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        fmt = form.cleaned_data["file_format"] or guess_format(Path(upload.name))
        path = (
            upload_dir()
            / f"screening-{secrets.token_hex(16)}.{'csv' if fmt == 'ofac-csv' else 'jsonl'}"
        )
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        run = start(
            import_list_task,
            kind="screening",
            user=request.user,
            label=_("Import of %(name)s") % {"name": form.cleaned_data["list_name"]},
            path=str(path),
            list_name=form.cleaned_data["list_name"],
            fmt=fmt,
        )
        if run.status == run.Status.FAILED:
            messages.error(
                request,
                _("%(file)s: %(error)s; nothing was imported.")
                % {"file": upload.name, "error": run.message},
            )
        elif run.finished:
            messages.success(
                request,
                _("%(new)s new, %(changed)s changed, %(removed)s gone, %(unchanged)s unchanged.")
                % {k: run.result.get(k, 0) for k in ("new", "changed", "removed", "unchanged")},
            )
        else:
            return redirect("task_run", run.pk)
        return redirect("vetting:screeninglist_import")
    lists = ScreeningList.objects.order_by("name")
    return render(
        request,
        "vetting/screening/list_import.html",
        {"form": form, "lists": lists},
        status=400 if request.method == "POST" else 200,
    )
