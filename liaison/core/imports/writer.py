"""Writing many records at once with everything a save would do.

A plain `save()` sets who created and changed the record, bumps its version, writes a
history row (django-simple-history), links that row into the audit chain
(core.audit) and refreshes the record's search entry (core.search). Bulk writes skip
Django's signals, so these functions do each of those in bulk, the same way.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.utils import timezone
from simple_history.utils import get_change_reason_from_object, get_history_manager_for_model

from liaison.core import audit, search
from liaison.core.context import current, current_actor
from liaison.core.models import OwnedModel, SearchEntry
from liaison.core.signals import bulk_saved

BATCH = 1000
# Parameters per INSERT statement (SQLite allows 32766; PostgreSQL 65535).
MAX_PARAMETERS = 30000


_PLAIN_TYPES = (str, int, bool)


def _plain_field(field: Any) -> bool:
    """Whether the database takes this field's str, int or bool values as they are."""
    return isinstance(
        field,
        models.CharField
        | models.TextField
        | models.IntegerField
        | models.BooleanField
        | models.ForeignKey,
    ) and not isinstance(field, models.JSONField)


def insert(model: type[models.Model], objs: list[Any]) -> None:
    """INSERT `objs` in multi-row statements and set their primary keys, as `bulk_create`
    does, without its per-value expression machinery (the cost of a big import)."""
    if not objs:
        return
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    fields = [f for f in meta.concrete_fields if not (f.primary_key and f.get_default() is None)]
    returning = connection.features.can_return_rows_from_bulk_insert
    if not returning:  # pragma: no cover - every database Liaison supports returns ids
        model._default_manager.bulk_create(objs, batch_size=BATCH)
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    size = max(1, min(MAX_PARAMETERS // len(fields), connection.ops.bulk_batch_size(fields, objs)))
    plain = [_plain_field(f) for f in fields]

    def values(obj: Any) -> list[Any]:
        row = []
        for field, as_is in zip(fields, plain, strict=True):
            value = field.pre_save(obj, True)
            if not (as_is and (value is None or type(value) in _PLAIN_TYPES)):
                value = field.get_db_prep_save(value, connection)
            row.append(value)
        return row

    table = quote(meta.db_table)
    returned = f" RETURNING {quote(str(pk.column))}"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One short statement, parsed once and sent in a pipeline for every row:
            # psycopg does not cache the parsing of a statement of thousands of values.
            raw: Any = cursor.cursor
            raw.executemany(
                f"INSERT INTO {table} ({columns}) VALUES {one}{returned}",
                [values(obj) for obj in objs],
                returning=True,
            )
            ids: list[Any] = []
            while True:
                ids.extend(row[0] for row in raw.fetchall())
                if not raw.nextset():
                    break
            _set_ids(objs, ids)
            return
        for start in range(0, len(objs), size):
            chunk = objs[start : start + size]
            params: list[Any] = []
            for obj in chunk:
                params.extend(values(obj))
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES "
                + ", ".join([one] * len(chunk))
                + returned,
                params,
            )
            _set_ids(chunk, [row[0] for row in cursor.fetchall()])


def _set_ids(objs: list[Any], ids: list[Any]) -> None:
    for obj, value in zip(objs, ids, strict=True):
        obj.pk = value
        obj._state.adding = False
        obj._state.db = connection.alias


def _history(model: type[models.Model], objs: list[Any], update: bool) -> None:
    """The history rows simple-history's bulk_history_create writes, with where they came
    from (core.audit.fill_request_context), each linked into the audit chain."""
    try:
        manager: Any = get_history_manager_for_model(model)
    except Exception:  # a model without history
        return
    history_model: Any = manager.model
    actor = current()
    user = current_actor()
    now = timezone.now()
    tracked = [f.attname for f in history_model.tracked_fields]
    rows = []
    for obj in objs:
        row = history_model(
            history_date=now,
            history_user=user,
            history_change_reason=get_change_reason_from_object(obj) or "",
            history_type="~" if update else "+",
            ip_address=actor.ip_address,
            request_id=actor.request_id,
            channel=actor.channel,
            **{name: getattr(obj, name) for name in tracked},
        )
        rows.append(row)
    insert(history_model, rows)
    audit.append_many(history_model, [row.pk for row in rows])


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
    for obj in objs:  # what Django does before it saves related records
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
    insert(model, objs)
    _history(model, objs, update=False)
    _index(model, objs, replace=False)
    bulk_saved.send(sender=model, objs=objs, created=True, fields=None)


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
    bulk_saved.send(sender=model, objs=objs, created=False, fields=names)


def delete(objs: list[Any]) -> None:
    """Delete one by one: few rows (replaced children), each with its history."""
    for obj in objs:
        obj.delete()
