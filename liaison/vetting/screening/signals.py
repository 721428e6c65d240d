"""Screen a person or an organisation again when what is screened about it changes.

post_init keeps a fingerprint of the screened fields as loaded; post_save compares, and
when a name, an alias, the birth date or the nationality (country) changed, or the record
is new, a background screening task is started once the transaction commits. Bulk writes
(imports: core.bulk) send core.signals.bulk_saved instead, with the same
effect. Whatever saved them (a form, the API, an import, intake, the FtM import), the
records of one transaction are screened by one task, after it commits. Nothing is
started while no list has been imported. A restore (core.backup) writes rows as they
were and screens nothing.
"""

from __future__ import annotations

import datetime
import threading
from typing import Any

from django.db import transaction
from django.db.models.signals import post_init, post_save

from liaison.partners.models import Organization, Person

SCREENED = {
    Person: ("full_name", "given_names", "family_name", "aliases", "birth_date", "nationality_id"),
    Organization: ("name_fr", "name_en", "aliases", "country_id"),
}


# Values kept as they are in a fingerprint; any other (a list of aliases, which may be
# changed in place) is kept as its repr, tagged so that it never equals a plain value.
_IMMUTABLE = (str, int, float, bool, type(None), datetime.date, datetime.datetime)


def _state(instance: Any) -> tuple[Any, ...]:
    # Every Person and Organization loaded passes here (post_init): kept cheap.
    values = instance.__dict__
    state = []
    for name in SCREENED[type(instance)]:
        value = values.get(name)
        state.append(value if type(value) in _IMMUTABLE else ("repr", repr(value)))
    return tuple(state)


def _remember(sender: Any, instance: Any, **kwargs: Any) -> None:
    instance._screening_state = _state(instance)


def _changed(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    state = _state(instance)
    if not created and getattr(instance, "_screening_state", None) == state:
        return
    instance._screening_state = state
    _queue(type(instance), [instance.pk])


def _bulk_saved(
    sender: Any, objs: list[Any], created: bool, fields: set[str] | None = None, **kwargs: Any
) -> None:
    screened = SCREENED.get(sender)
    if screened is None or not objs:
        return
    if not created and not {name.removesuffix("_id") for name in screened} & set(fields or ()):
        return
    for obj in objs:
        obj._screening_state = _state(obj)
    _queue(sender, [obj.pk for obj in objs])


def _queue(model: Any, pks: list[int]) -> None:
    from liaison.vetting.models import ScreeningEntry

    if not ScreeningEntry.objects.filter(removed_at__isnull=True).exists():
        return
    field = "person_ids" if issubclass(model, Person) else "organization_ids"
    getattr(_pending, field).update(pks)
    # The first callback to run takes every record saved in the transaction: one task.
    transaction.on_commit(_flush)


class _Pending(threading.local):
    def __init__(self) -> None:
        self.person_ids: set[int] = set()
        self.organization_ids: set[int] = set()


_pending = _Pending()


def _flush() -> None:
    from liaison.core.tasks import start
    from liaison.vetting.screening.tasks import screen_subjects_task

    if not (_pending.person_ids or _pending.organization_ids):
        return
    ids: dict[str, Any] = {
        "person_ids": sorted(_pending.person_ids),
        "organization_ids": sorted(_pending.organization_ids),
    }
    _pending.person_ids.clear()
    _pending.organization_ids.clear()
    start(screen_subjects_task, kind="screening", **ids)


def connect() -> None:
    from liaison.core.signals import bulk_saved

    bulk_saved.connect(_bulk_saved, dispatch_uid="screening-bulk")
    for model in SCREENED:
        post_init.connect(_remember, sender=model, dispatch_uid=f"screening-init-{model.__name__}")
        post_save.connect(_changed, sender=model, dispatch_uid=f"screening-save-{model.__name__}")
