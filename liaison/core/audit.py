"""A tamper-evident audit trail over django-simple-history's rows.

Every history row (create, change or delete of any record) gets a link in one chain:
its hash covers the row as stored and the previous link's hash. Changing, removing or
inserting a history row or a link by hand breaks the chain at that place, and
`liaison audit verify` reports the first broken link. A history row written without
going through Liaison has no link at all: `verify` then counts each history table's rows
against its links and names the first row that is not in the chain, and the history
pages show only the rows that are (`core.history.chained`).
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from liaison.core.context import current
from liaison.core.models import AuditHead, AuditLink

GENESIS = "0" * 64


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return value


def as_stored(values: dict[str, Any]) -> dict[str, Any]:
    """A history row read with `.values()`, as its link's hash covers it."""
    return {key: _plain(value) for key, value in values.items()}


def stored_row(history_model: type[models.Model], history_id: int) -> dict[str, Any] | None:
    """The history row exactly as the database holds it."""
    row = history_model._default_manager.filter(pk=history_id).values().first()
    return None if row is None else as_stored(row)


def link_hash(previous_hash: str, table: str, row: dict[str, Any]) -> str:
    payload = json.dumps(
        {"previous": previous_hash, "table": table, "row": row},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def fill_request_context(history_instance: Any, **kwargs: Any) -> None:
    """simple-history's pre_create_historical_record: from where the change came."""
    actor = current()
    history_instance.ip_address = actor.ip_address
    history_instance.request_id = actor.request_id
    history_instance.channel = actor.channel


class Tail:
    """The end of the chain while it is locked (`extending`): each `link` follows the one
    before it."""

    def __init__(self, head: AuditHead) -> None:
        self.head = head
        self.previous = head.last_hash or GENESIS
        self.sequence = head.length

    def link(
        self, history_type: ContentType, table: str, history_id: int, row: dict[str, Any]
    ) -> AuditLink:
        """The (unsaved) link of a history row `row` (`as_stored`) of `table`."""
        entry = link_hash(self.previous, table, row)
        self.sequence += 1
        link = AuditLink(
            sequence=self.sequence,
            history_type=history_type,
            history_id=history_id,
            previous_hash=self.previous,
            entry_hash=entry,
        )
        self.previous = entry
        return link


@contextmanager
def extending() -> Iterator[Tail]:
    """Lock the chain's head for the block, give its end, and move the head to the last
    link made (`Tail.link`) when the block ends; the caller saves the links."""
    with transaction.atomic():
        head, _created = AuditHead.objects.select_for_update().get_or_create(pk=1)
        tail = Tail(head)
        yield tail
        if tail.sequence != head.length:
            head.last_hash, head.length = tail.previous, tail.sequence
            head.save(update_fields=["last_hash", "length"])


def append(history_instance: models.Model, **kwargs: Any) -> None:
    """simple-history's post_create_historical_record: add the row to the chain.
    (Rows written in bulk are chained by core.bulk, the same way.)"""
    history_model = type(history_instance)
    row = stored_row(history_model, history_instance.pk)
    if row is None:  # pragma: no cover - the row was just written in this transaction
        return
    with extending() as tail:
        tail.link(
            ContentType.objects.get_for_model(history_model),
            history_model._meta.db_table,
            history_instance.pk,
            row,
        ).save(force_insert=True)


@dataclass(frozen=True)
class BrokenLink:
    """Where the chain breaks: a link (its sequence), or a history row outside the
    chain (sequence None)."""

    sequence: int | None
    table: str
    history_id: int
    reason: str


def history_models() -> list[type[models.Model]]:
    """django-simple-history's Historical* tables, each of whose rows must be linked."""
    from simple_history.models import HistoricalChanges

    found = [m for m in apps.get_models() if issubclass(m, HistoricalChanges)]
    return sorted(found, key=lambda m: m._meta.label_lower)


def unlinked_row() -> BrokenLink | None:
    """The first history row without its link (a row inserted by hand), table by table:
    each table's rows are counted against its links (two queries in all, and one more
    per table whose counts differ). The walk has already checked that every link's row
    exists, once (a row has at most one link)."""
    links = {
        (app_label, model): count
        for app_label, model, count in AuditLink.objects.values_list(
            "history_type__app_label", "history_type__model"
        )
        .annotate(count=Count("pk"))
        .order_by()
    }
    for model in history_models():
        key = (model._meta.app_label, model._meta.model_name)
        rows = model._base_manager.count()
        if rows == links.get(key, 0):
            continue
        linked = AuditLink.objects.filter(
            history_type__app_label=key[0], history_type__model=key[1]
        ).values("history_id")
        orphan = (
            model._base_manager.exclude(pk__in=linked)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        if orphan is not None:
            return BrokenLink(
                None,
                model._meta.db_table,
                int(orphan),
                _(
                    "the history row is not in the chain (%(rows)s rows, %(links)s links): "
                    "it was written outside Liaison"
                )
                % {"rows": rows, "links": links.get(key, 0)},
            )
    return None


def verify(batch_size: int = 2000) -> tuple[int, BrokenLink | None]:
    """Walk the chain in order; returns (links checked, first broken link or None)."""
    previous = GENESIS
    checked = 0
    expected_sequence = 1
    for link in _links(batch_size):
        model = link.history_type.model_class()
        table = model._meta.db_table if model is not None else "?"
        broken = None
        if link.sequence != expected_sequence:
            broken = _("sequence %(n)s is missing") % {"n": expected_sequence}
        elif link.previous_hash != previous:
            broken = _("the link does not follow the one before it")
        elif model is None:
            broken = _("the history table no longer exists")
        else:
            row = stored_row(model, link.history_id)
            if row is None:
                broken = _("the history row was deleted")
            elif link_hash(previous, table, row) != link.entry_hash:
                broken = _("the history row was changed after it was recorded")
        if broken:
            return checked, BrokenLink(link.sequence, table, link.history_id, broken)
        previous = link.entry_hash
        expected_sequence += 1
        checked += 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.length != checked or (checked and head.last_hash != previous)):
        return checked, BrokenLink(checked + 1, "", 0, _("links after this one were removed"))
    return checked, unlinked_row()


def _links(batch_size: int) -> Iterator[AuditLink]:
    last = 0
    while True:
        batch = list(
            AuditLink.objects.select_related("history_type")
            .filter(sequence__gt=last)
            .order_by("sequence")[:batch_size]
        )
        if not batch:
            return
        yield from batch
        last = batch[-1].sequence
