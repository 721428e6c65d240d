"""Writing many records at once with everything a save would do.

A plain `save()` sets who created and changed the record, bumps its version, writes a
history row (django-simple-history), links that row into the audit chain
(core.audit) and refreshes the record's search entry (core.search). Bulk writes skip
Django's signals, so these functions do each of those in bulk, the same way.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from simple_history.utils import get_history_manager_for_model

from liaison.core import audit, search
from liaison.core.context import current, current_actor
from liaison.core.models import OwnedModel, SearchEntry

BATCH = 1000


def _history(model: type[models.Model], objs: list[Any], update: bool) -> None:
    try:
        manager = get_history_manager_for_model(model)
    except Exception:  # a model without history
        return
    actor = current()
    created = manager.bulk_history_create(
        objs,
        batch_size=BATCH,
        update=update,
        default_user=current_actor(),
        custom_historical_attrs={
            "ip_address": actor.ip_address,
            "request_id": actor.request_id,
            "channel": actor.channel,
        },
    )
    ids = [row.pk for row in created or []]
    if created and any(pk is None for pk in ids):  # pragma: no cover - old SQLite
        raise RuntimeError("The database did not return the ids of the history rows.")
    audit.append_many(manager.model, ids)


def _index(model: type[models.Model], objs: list[Any], replace: bool) -> None:
    entry = search.REGISTRY.get(model)
    if entry is None or not objs:
        return
    content_type = ContentType.objects.get_for_model(model)
    if replace:
        SearchEntry.objects.filter(
            content_type=content_type, object_id__in=[o.pk for o in objs]
        ).delete()
    SearchEntry.objects.bulk_create(
        [
            SearchEntry(content_type=content_type, object_id=o.pk, text=entry.text_of(o))
            for o in objs
        ],
        batch_size=BATCH,
    )


def create(model: type[models.Model], objs: list[Any]) -> None:
    """Insert `objs` (their pks are set afterwards), with history, audit and search."""
    if not objs:
        return
    if issubclass(model, OwnedModel):
        actor = current_actor()
        for obj in objs:
            obj.created_by = obj.created_by or actor
            obj.updated_by = actor
    model._default_manager.bulk_create(objs, batch_size=BATCH)
    _history(model, objs, update=False)
    _index(model, objs, replace=False)


def update(model: type[models.Model], objs: list[Any], fields: set[str]) -> None:
    """Save the `fields` of `objs`, bumping their versions, with history, audit, search."""
    if not objs:
        return
    names = set(fields)
    if issubclass(model, OwnedModel):
        actor, now = current_actor(), timezone.now()
        for obj in objs:
            obj.version = (obj.version or 0) + 1
            obj.updated_by = actor
            obj.updated_at = now
        names |= {"version", "updated_by", "updated_at"}
    model._default_manager.bulk_update(objs, sorted(names), batch_size=BATCH)
    _history(model, objs, update=True)
    _index(model, objs, replace=True)


def delete(objs: list[Any]) -> None:
    """Delete one by one: few rows (replaced children), each with its history."""
    for obj in objs:
        obj.delete()
