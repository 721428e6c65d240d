"""Writing many rows at once: the one bulk write path.

A plain `save()` sets who created and changed the record, bumps its version, writes a
history row (django-simple-history), links that row into the audit chain (core.audit)
and refreshes the record's search entry (core.search). Bulk writes skip Django's
signals, so `create` and `update` do each of those in bulk, the same way, leaving what
the same records saved one by one would leave (`liaison audit verify` passes). Imports
(core.imports.engine) and the synthetic data (demo.synth) write their records here.

`insert` (records, their primary keys read back) and `insert_rows` (table rows as they
are, primary keys included: a restore, core.backup) are the INSERT statements under
it all, with each database's fast path.

Dependencies go one way: this module uses core.audit and core.search, which use
neither it nor each other for writing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.utils import timezone
from simple_history.utils import get_change_reason_from_object, get_history_manager_for_model

from liaison.core import audit, search
from liaison.core.context import Actor, current
from liaison.core.models import AuditLink, OwnedModel, SearchEntry
from liaison.core.signals import bulk_saved

BATCH = 1000
# Parameters per INSERT statement (SQLite allows 32766; PostgreSQL 65535).
MAX_PARAMETERS = 30000

_PLAIN_TYPES = (str, int, bool)


@dataclass(frozen=True)
class Written:
    """What a bulk write left: records, history rows (each with its audit link) and
    search entries."""

    records: int = 0
    history: int = 0
    entries: int = 0


# --- INSERT statements -----------------------------------------------------------------


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


def _statement(model: type[models.Model], fields: list[Any]) -> tuple[str, str]:
    """`INSERT INTO table (columns) VALUES` and one row's `(%s, ...)`."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    return (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ",
        "(" + ", ".join(["%s"] * len(fields)) + ")",
    )


def insert(model: type[models.Model], objs: list[Any]) -> None:
    """INSERT `objs` in multi-row statements and set their primary keys, as `bulk_create`
    does, without its per-value expression machinery (the cost of a big import)."""
    if not objs:
        return
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    fields = [f for f in meta.concrete_fields if not (f.primary_key and f.get_default() is None)]
    if not connection.features.can_return_rows_from_bulk_insert:  # pragma: no cover
        # Every database Liaison supports returns the ids.
        model._default_manager.bulk_create(objs, batch_size=BATCH)
        return
    head, one = _statement(model, fields)
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

    returned = f" RETURNING {connection.ops.quote_name(str(pk.column))}"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One short statement, parsed once and sent in a pipeline for every row:
            # psycopg does not cache the parsing of a statement of thousands of values.
            raw: Any = cursor.cursor
            raw.executemany(head + one + returned, [values(obj) for obj in objs], returning=True)
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
            cursor.execute(head + ", ".join([one] * len(chunk)) + returned, params)
            _set_ids(chunk, [row[0] for row in cursor.fetchall()])


def _set_ids(objs: list[Any], ids: list[Any]) -> None:
    for obj, value in zip(objs, ids, strict=True):
        obj.pk = value
        obj._state.adding = False
        obj._state.db = connection.alias


def insert_rows(
    model: type[models.Model],
    fields: list[Any],
    rows: Iterable[list[Any]],
    batch_size: int = BATCH,
) -> int:
    """INSERT table rows as they are (values ready for the database, primary keys
    included), `batch_size` a statement; returns how many. Nothing else is written: no
    history, chain or search entry (a restore brings its own)."""
    head, one = _statement(model, fields)
    sql = head + one
    count = 0
    batch: list[list[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            count += 1
            if len(batch) >= batch_size:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
    return count


# --- what a save leaves ----------------------------------------------------------------


def _history(
    model: type[models.Model],
    objs: list[Any],
    update: bool,
    actor: Actor,
    author: Callable[[Any], int | None] | None,
) -> int:
    """The history rows simple-history's bulk_history_create writes, with where they came
    from (as core.audit.fill_request_context), each linked into the audit chain."""
    try:
        manager: Any = get_history_manager_for_model(model)
    except Exception:  # a model without history
        return 0
    history_model: Any = manager.model
    user = _user(actor)
    user_id = user.pk if user is not None else None
    now = timezone.now()
    tracked = [f.attname for f in history_model.tracked_fields]
    rows = [
        history_model(
            history_date=now,
            history_user_id=author(obj) if author is not None else user_id,
            history_change_reason=get_change_reason_from_object(obj) or "",
            history_type="~" if update else "+",
            ip_address=actor.ip_address,
            request_id=actor.request_id,
            channel=actor.channel,
            **{name: getattr(obj, name) for name in tracked},
        )
        for obj in objs
    ]
    insert(history_model, rows)
    chain(history_model, [row.pk for row in rows])
    return len(rows)


def chain(history_model: type[models.Model], history_ids: list[int]) -> None:
    """`core.audit.append` for many history rows written at once: the same links, in
    the order given, hashed over the rows as stored, in a fixed number of queries."""
    if not history_ids:
        return
    table = history_model._meta.db_table
    history_type = ContentType.objects.get_for_model(history_model)
    pk_name = history_model._meta.pk.name
    with audit.extending() as tail:
        for start in range(0, len(history_ids), BATCH):
            chunk = history_ids[start : start + BATCH]
            rows = {
                row[pk_name]: row
                for row in history_model._default_manager.filter(pk__in=chunk).values()
            }
            insert(
                AuditLink,
                [
                    tail.link(history_type, table, history_id, audit.as_stored(rows[history_id]))
                    for history_id in chunk
                ],
            )


def _index(model: type[models.Model], objs: list[Any], replace: bool) -> int:
    """Each record's search entry, as core.search.index would leave it."""
    entry = search.REGISTRY.get(model)
    if entry is None or not objs:
        return 0
    content_type = ContentType.objects.get_for_model(model)
    if replace:
        SearchEntry.objects.filter(
            content_type=content_type, object_id__in=[o.pk for o in objs]
        ).delete()
    insert(
        SearchEntry,
        [
            SearchEntry(content_type=content_type, object_id=o.pk, text=entry.text_of(o))
            for o in objs
        ],
    )
    return len(objs)


def _user(actor: Actor) -> Any:
    """The actor's user, if signed in (as core.context.current_actor)."""
    user = actor.user
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def create(
    model: type[models.Model],
    objs: list[Any],
    *,
    actor: Actor | None = None,
    author: Callable[[Any], int | None] | None = None,
    announce: bool = True,
) -> Written:
    """Insert `objs` (their pks are set afterwards), with history, audit and search.

    `actor` (default: the current one, core.context) is who acts and from where: the
    records' created_by (unless set) and updated_by, and the history rows' user,
    channel, address and request. `author` (a record -> a user id) names the history
    row's user record by record instead (synthetic data written by no one). `announce`
    sends `bulk_saved` as saves send `post_save` (screening listens); synthetic data is
    not announced, as a restore is not."""
    if not objs:
        return Written()
    actor = actor or current()
    user = _user(actor)
    if user is not None and issubclass(model, OwnedModel):
        for obj in objs:
            if obj.created_by_id is None:
                obj.created_by = user
            obj.updated_by = user
    for obj in objs:  # what Django does before it saves related records
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
    insert(model, objs)
    history = _history(model, objs, False, actor, author)
    written = Written(len(objs), history, _index(model, objs, replace=False))
    if announce:
        bulk_saved.send(sender=model, objs=objs, created=True, fields=None)
    return written


def update(model: type[models.Model], objs: list[Any], fields: set[str]) -> Written:
    """Save the `fields` of `objs`, bumping their versions, with history, audit, search
    (the actor: core.context's current one)."""
    if not objs:
        return Written()
    actor = current()
    names = set(fields)
    if issubclass(model, OwnedModel):
        user, now = _user(actor), timezone.now()
        for obj in objs:
            obj.version = (obj.version or 0) + 1
            obj.updated_by = user
            obj.updated_at = now
        names |= {"version", "updated_by", "updated_at"}
    model._default_manager.bulk_update(objs, sorted(names), batch_size=BATCH)
    history = _history(model, objs, True, actor, None)
    written = Written(len(objs), history, _index(model, objs, replace=True))
    bulk_saved.send(sender=model, objs=objs, created=False, fields=names)
    return written


def delete(objs: list[Any]) -> None:
    """Delete one by one: few rows (replaced children), each with its history."""
    for obj in objs:
        obj.delete()
