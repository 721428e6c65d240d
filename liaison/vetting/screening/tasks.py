"""Background screening jobs (liaison.core.tasks): after an import, after an edit."""

from __future__ import annotations

from django.db import transaction
from django.tasks import task

from liaison.core.tasks import tracked


@task
def screen_everyone_task(run_id: int) -> None:
    from liaison.vetting.screening.service import screen_everyone

    with tracked(run_id) as progress, transaction.atomic():
        totals = screen_everyone(progress)
        progress.set_result(**totals)


@task
def screen_subjects_task(
    run_id: int, person_ids: list[int] | None = None, organization_ids: list[int] | None = None
) -> None:
    from liaison.partners.models import Organization, Person
    from liaison.vetting.screening.service import screen

    with tracked(run_id) as progress, transaction.atomic():
        persons = Person.objects.filter(pk__in=person_ids or []).select_related("nationality")
        orgs = Organization.objects.filter(pk__in=organization_ids or []).select_related("country")
        totals = screen(list(persons), list(orgs))
        progress.set_result(**totals)
        progress.advance(totals["screened"], totals["screened"])


@task
def import_list_task(run_id: int, path: str, list_name: str, fmt: str) -> None:
    """A list file uploaded on the lists page: the command's import (all or nothing), then
    everyone screened against it; the file is removed once read."""
    from pathlib import Path

    from liaison.vetting.screening.importer import import_list
    from liaison.vetting.screening.service import screen_everyone

    file = Path(path)
    try:
        with tracked(run_id) as progress:
            summary = import_list(file, list_name, fmt)
            progress.set_result(**{k: v for k, v in summary.items() if k != "list"})
            with transaction.atomic():
                progress.set_result(**screen_everyone(progress))
    finally:
        file.unlink(missing_ok=True)
