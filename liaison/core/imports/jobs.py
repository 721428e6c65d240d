"""Uploaded import files, their reports, and the background job that runs them.

An upload is kept under the data folder (`imports/<token>.<csv|xlsx>`) with a small
JSON file naming its kind, user and workspace; the dry run and the commit run as a
background job (core.tasks), which writes the report beside the file for the preview
page. Only the user who uploaded a file may preview or import it.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.tasks import task
from django.urls import reverse

from liaison.core.imports.engine import run_import
from liaison.core.imports.reading import file_format, read_rows
from liaison.core.imports.spec import get_kind
from liaison.core.models import Workspace
from liaison.core.tasks import tracked


def upload_dir() -> Path:
    folder = Path(settings.DATA_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _valid_token(token: str) -> bool:
    return token.isalnum() and len(token) <= 64


def save_upload(upload: Any, kind: str, user: Any, workspace: Workspace | None) -> str:
    """Keep an uploaded file; returns its token."""
    fmt = file_format(upload.name)
    token = secrets.token_hex(16)
    path = upload_dir() / f"{token}.{fmt}"
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    meta = {
        "kind": kind,
        "user": user.pk,
        "workspace": workspace.pk if workspace else None,
        "name": Path(upload.name).name,
        "format": fmt,
        "rows": count_rows(path, fmt),
    }
    (upload_dir() / f"{token}.json").write_text(json.dumps(meta))
    return token


def count_rows(path: Path, fmt: str) -> int:
    try:
        _header, rows = read_rows(path, fmt)
        return sum(1 for _ in rows)
    except Exception:  # the import itself reports an unreadable file
        return 0


def load(token: str, user: Any) -> dict[str, Any] | None:
    """The upload's description, if it exists and belongs to `user`."""
    if not _valid_token(token):
        return None
    meta_path = upload_dir() / f"{token}.json"
    if not meta_path.exists():
        return None
    meta: dict[str, Any] = json.loads(meta_path.read_text())
    if meta.get("user") != getattr(user, "pk", None):
        return None
    meta["path"] = str(upload_dir() / f"{token}.{meta['format']}")
    report_path = upload_dir() / f"{token}.report.json"
    meta["report"] = json.loads(report_path.read_text()) if report_path.exists() else None
    return meta


@task
def import_file(run_id: int, token: str, commit: bool, channel: str = "web") -> None:
    """Dry run or import an uploaded file; the report goes beside it.

    Run again after its worker was lost, it starts over: the import is one transaction,
    so the lost run left nothing, and rows already imported would read "unchanged"."""
    with tracked(run_id) as progress:
        meta = json.loads((upload_dir() / f"{token}.json").read_text())
        kind = get_kind(meta["kind"])
        assert kind is not None
        user = get_user_model().objects.get(pk=meta["user"])
        workspace = Workspace.objects.filter(pk=meta["workspace"]).first()
        total = int(meta.get("rows") or 0) or None
        report = run_import(
            kind,
            upload_dir() / f"{token}.{meta['format']}",
            meta["format"],
            user=user,
            workspace=workspace,
            commit=commit,
            channel=channel,
            progress=lambda done: progress.advance(done, total),
        )
        (upload_dir() / f"{token}.report.json").write_text(json.dumps(report.as_dict()))
        progress.set_result(
            url=reverse("core:import_preview", args=[kind.slug, token]),
            counts=report.counts,
            committed=report.committed,
        )
