"""The import pages: the kinds and their templates, upload, preview, confirm."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison.core import access
from liaison.core.imports import jobs
from liaison.core.imports.engine import REFUSED, action_label
from liaison.core.imports.reading import (
    FORMATS,
    FileError,
    column_help,
    file_format,
    template_csv,
    template_xlsx,
)
from liaison.core.imports.spec import ImportKind, get_kind, kinds
from liaison.core.models import Workspace
from liaison.core.tasks import start

# The preview shows every refused row and at most this many of the others.
PREVIEW_ROWS = 500


def _kind(slug: str) -> ImportKind:
    kind = get_kind(slug)
    if kind is None:
        raise Http404
    return kind


def _list_url(kind: ImportKind) -> str | None:
    try:
        return reverse(kind.list_url_name) if kind.list_url_name else None
    except NoReverseMatch:
        return None


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File (CSV or XLSX)"))
    workspace = forms.ModelChoiceField(
        queryset=Workspace.objects.none(), label=gettext_lazy("Import into the workspace")
    )

    def __init__(self, *args: Any, kind: ImportKind, user: Any, initial_workspace: Any, **kw: Any):
        super().__init__(*args, **kw)
        if kind.owned:
            field: Any = self.fields["workspace"]
            field.queryset = Workspace.objects.filter(
                pk__in=access.writable_workspace_ids(user, kind.model_class)
            )
            if initial_workspace is not None:
                self.initial["workspace"] = initial_workspace.pk
        else:
            del self.fields["workspace"]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            file_format(upload.name)
        except FileError as error:
            raise forms.ValidationError(str(error)) from None
        return upload


@login_required
def import_index(request: HttpRequest) -> HttpResponse:
    rows = [
        {"kind": kind, "can": access.can_add(request.user, kind.model_class)} for kind in kinds()
    ]
    return render(request, "core/imports/index.html", {"rows": rows})


@login_required
def import_template(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    kind = _kind(slug)
    if fmt not in FORMATS:
        raise Http404
    if fmt == "csv":
        response = HttpResponse(template_csv(kind), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            template_xlsx(kind),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{kind.slug}-template.{fmt}"'
    return response


@login_required
def import_upload(request: HttpRequest, slug: str) -> HttpResponse:
    kind = _kind(slug)
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        kind=kind,
        user=request.user,
        initial_workspace=getattr(request, "workspace", None),
    )
    if request.method == "POST" and form.is_valid():
        token = jobs.save_upload(
            form.cleaned_data["file"], kind.slug, request.user, form.cleaned_data.get("workspace")
        )
        return _run(request, kind, token, commit=False)
    context = {"kind": kind, "form": form, "columns": column_help(kind)}
    return render(
        request,
        "core/imports/upload.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


def _run(request: HttpRequest, kind: ImportKind, token: str, commit: bool) -> HttpResponse:
    meta = jobs.load(token, request.user) or {}
    label = (_("Import of %(name)s") if commit else _("Checking %(name)s")) % {
        "name": meta.get("name", kind.slug)
    }
    run = start(
        jobs.import_file,
        kind="import",
        user=request.user,
        workspace=getattr(request, "workspace", None),
        label=label,
        total=meta.get("rows") or None,
        token=token,
        commit=commit,
    )
    if not run.finished:
        return redirect("task_run", run.pk)
    if commit and run.result.get("committed"):
        counts = run.result.get("counts", {})
        messages.success(
            request,
            _("Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
            % {k: counts.get(k, 0) for k in ("created", "updated", "unchanged")},
        )
        return redirect(_list_url(kind) or reverse("core:imports"))
    if run.status == run.Status.FAILED:
        messages.error(request, _("The import failed: %(reason)s") % {"reason": run.shown_message})
    return redirect("core:import_preview", kind.slug, token)


@login_required
def import_preview(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    kind = _kind(slug)
    meta = jobs.load(token, request.user)
    if meta is None:
        raise Http404
    report = meta["report"]
    if request.method == "POST":
        if report is None or report["file_problems"] or report["counts"][REFUSED]:
            raise Http404
        return _run(request, kind, token, commit=True)
    rows = []
    shown = 0
    for number, action, key, problems in (report or {}).get("rows", []):
        if action != REFUSED:
            if shown >= PREVIEW_ROWS:
                continue
            shown += 1
        rows.append(
            {
                "row": number,
                "action": action,
                "label": action_label(action),
                "key": key,
                "problems": problems,
            }
        )
    total = len((report or {}).get("rows", []))
    context = {
        "kind": kind,
        "meta": meta,
        "report": report,
        "rows": rows,
        "hidden": total - len(rows),
        "workspace": Workspace.objects.filter(pk=meta.get("workspace") or 0).first(),
        "can_confirm": bool(
            report
            and report["dry_run"]
            and not report["file_problems"]
            and not report["counts"][REFUSED]
        ),
        "list_url": _list_url(kind),
    }
    return render(request, "core/imports/preview.html", context)
