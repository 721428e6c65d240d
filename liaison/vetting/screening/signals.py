"""Screen a person or an organisation again when what is screened about it changes.

post_init keeps a fingerprint of the screened fields as loaded; post_save compares, and
when a name, an alias, the birth date or the nationality (country) changed, or the record
is new, a background screening task is started once the transaction commits. Nothing is
started while no list has been imported.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_init, post_save

from liaison.partners.models import Organization, Person

SCREENED = {
    Person: ("full_name", "given_names", "family_name", "aliases", "birth_date", "nationality_id"),
    Organization: ("name_fr", "name_en", "aliases", "country_id"),
}


def _state(instance: Any) -> tuple[Any, ...]:
    return tuple(repr(instance.__dict__.get(f)) for f in SCREENED[type(instance)])


def _remember(sender: Any, instance: Any, **kwargs: Any) -> None:
    instance._screening_state = _state(instance)


def _changed(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    state = _state(instance)
    if not created and getattr(instance, "_screening_state", None) == state:
        return
    instance._screening_state = state
    from liaison.vetting.models import ScreeningEntry

    if not ScreeningEntry.objects.filter(removed_at__isnull=True).exists():
        return
    field = "person_ids" if isinstance(instance, Person) else "organization_ids"
    pk = instance.pk

    def run() -> None:
        from liaison.core.tasks import start
        from liaison.vetting.screening.tasks import screen_subjects_task

        ids: dict[str, Any] = {field: [pk]}
        start(screen_subjects_task, kind="screening", label=str(instance)[:300], **ids)

    transaction.on_commit(run)


def connect() -> None:
    for model in SCREENED:
        post_init.connect(_remember, sender=model, dispatch_uid=f"screening-init-{model.__name__}")
        post_save.connect(_changed, sender=model, dispatch_uid=f"screening-save-{model.__name__}")
