"""`liaison intake add FILE... --workspace SLUG [--user NAME]`: queue documents for
review, through the same service code as the upload page, with a progress bar."""

from __future__ import annotations

import datetime
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from liaison.core import access
from liaison.core.management.base import find_workspace
from liaison.core.models import TaskRun
from liaison.intake import services
from liaison.intake.models import IntakeDocument

BAR_WIDTH = 30


def add_parser(sub: Any, command: BaseCommand) -> None:
    parser = sub.add_parser("add", help="queue documents for review")
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument("--workspace", required=True, help="slug or name of the owner workspace")
    parser.add_argument("--user", default="", help="who adds them (must write in the workspace)")
    parser.add_argument("--url", default="", help="where the document was published")
    parser.add_argument("--published", default="", help="publication date, YYYY-MM-DD")
    parser.add_argument("--language", default="", choices=["", "fr", "en"])


def bar(done: int, total: int, note: str = "") -> str:
    filled = BAR_WIDTH * done // total if total else BAR_WIDTH
    return f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total} {note}".rstrip()


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    workspace = find_workspace(options["workspace"])
    user = _user(options["user"], workspace)
    published = None
    if options["published"]:
        try:
            published = datetime.date.fromisoformat(options["published"])
        except ValueError:
            raise CommandError(_("The publication date is not YYYY-MM-DD.")) from None
    uploads = []
    for name in options["files"]:
        path = Path(name)
        if not path.is_file():
            raise CommandError(_("No file %(name)s.") % {"name": name})
        if path.stat().st_size > services.max_bytes():
            command.stderr.write(f"{path.name}: {services.too_large(path.stat().st_size)}")
            continue
        uploads.append(services.Upload(path.name, path.read_bytes()))
    metadata = services.Metadata(
        url=options["url"], published_on=published, language=options["language"]
    )
    background = bool(settings.LIAISON_BROKER_URL)
    queued = services.queue_documents(
        uploads,
        user=user,
        workspace=workspace,
        metadata=metadata,
        start_reading=background,
        channel="command",
    )
    for name, why in queued.refused:
        command.stderr.write(f"{name}: {why}")
    total = len(queued.documents)
    if not total:
        raise CommandError(_("No document was queued."))
    out = command.stdout

    def report(done: int, failed: int, document: IntakeDocument | None) -> None:
        out.write("\r" + bar(done, total, document.file_name if document else ""), ending="")
        out.flush()

    out.write(bar(0, total), ending="")
    if queued.run is not None:  # read by the workers: follow their progress
        run_id = queued.run.pk
        while True:
            task_run = TaskRun.objects.get(pk=run_id)
            out.write("\r" + bar(task_run.done, total, task_run.message), ending="")
            out.flush()
            if task_run.finished:
                break
            time.sleep(0.5)
    else:
        services.read_documents([d.pk for d in queued.documents], user=user, report=report)
    out.write("")
    for document in IntakeDocument.objects.filter(pk__in=[d.pk for d in queued.documents]).order_by(
        "pk"
    ):
        if document.error:
            command.stderr.write(f"{document.file_name}: {document.error}")
        else:
            out.write(
                _("%(name)s: %(count)s proposals to review (document %(pk)s)")
                % {
                    "name": document.file_name,
                    "count": document.proposals.count(),
                    "pk": document.pk,
                }
            )


def _user(name: str, workspace: Any) -> Any:
    users = get_user_model().objects
    if name:
        user = users.filter(username=name).first()
        if user is None:
            raise CommandError(_("No user named %(name)s.") % {"name": name})
    else:
        # The first member who may add documents there.
        allowed = [u for u in users.filter(memberships__workspace=workspace).distinct()
                   if access.can_add(u, IntakeDocument, workspace.pk)]  # fmt: skip
        if not allowed:
            raise CommandError(_("Name a user who may add documents to this workspace (--user)."))
        user = allowed[0]
    if not access.can_add(user, IntakeDocument, workspace.pk):
        raise CommandError(
            _("%(user)s may not add documents to %(workspace)s.")
            % {"user": user, "workspace": workspace}
        )
    return user
