"""Records read for a user withhold, by themselves, what that user may not see.

A record read through `visible_to(user)` remembers its reader. Its links to records that
have a release (a position's person, a session's course, a vetting request's enrolment)
then answer, when read, either the linked record (itself remembering the reader) or
`Withheld` ("not released to you"): in a template, a name (`str()`), a page title, a
table cell, an export or an API answer alike, with no call to remember. The first read
of a link settles it for every record fetched with it (one query per link and batch, as
`select_related` would cost, whatever the number of rows).

Related managers of such a record (`organization.positions.all()`) keep only what the
reader may see, and remember the reader too.

`Withheld` (the stand-in) and `settle` (one link of many records, one query) live here;
`core.links` builds on them (paths of links, names, many-to-many) and imports nothing
back from here but them.

Rules (a model's `clean()`, the vetting gate) must judge the truth, not what one user
sees: `full_clean()` runs `unwithheld()`, in which links answer the real record.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from contextvars import ContextVar
from typing import Any, Self

from django.db import models
from django.db.models.fields.related_descriptors import (
    ForwardManyToOneDescriptor,
    ForwardOneToOneDescriptor,
)
from django.db.models.query import ModelIterable
from django.utils.translation import gettext_lazy as _

# The attribute of a model instance that holds its reading (`Reading`).
READING = "_liaison_reading"
# Records fetched together are settled together; `iterator()` batches by this many.
BATCH = 2000

_truth: ContextVar[bool] = ContextVar("liaison_unwithheld", default=False)
# A page built by code that reads records its own way (the admin's delete summary and
# history): every record it prints is read for this user.
_ambient: ContextVar[Any] = ContextVar("liaison_reading_as", default=None)


# Ids per query when the targets of a link are looked up (an export has many rows).
CHUNK = 500


class Withheld:
    """Stands in for a linked record the user may not see: it reads as a notice and
    links nowhere (`get_absolute_url()` is None)."""

    def __init__(self, pk: Any) -> None:
        self.pk = self.id = pk

    def __str__(self) -> str:
        return str(_("(not released to you)"))

    def __repr__(self) -> str:
        return f"<Withheld {self.pk}>"

    def get_absolute_url(self) -> None:
        return None

    # The name-like attributes that records' names and pages read of a linked record
    # (a position's name reads its person's `full_name` and its organisation's `name`).
    @property
    def name(self) -> str:
        return str(self)

    full_name = title = name

    @property
    def acronym(self) -> str:
        return ""


def has_release(model: Any) -> bool:
    """Whether `model`'s records have their own release (a `visible_to` manager)."""
    manager = getattr(model, "_default_manager", None)
    return isinstance(model, type) and hasattr(manager, "visible_to")


class Reading:
    """Who read a record, the records read with it, and the links already settled."""

    __slots__ = ("peers", "settled", "viewer")

    def __init__(self, viewer: Any, peers: list[models.Model], settled: set[str]) -> None:
        self.viewer = viewer
        self.peers = peers
        self.settled = settled


def reading_of(obj: Any) -> Reading | None:
    return getattr(obj, "__dict__", {}).get(READING)


def reader_of(obj: Any) -> Any:
    """The user `obj` was read for, or None (read by the system)."""
    found = reading_of(obj)
    return found.viewer if found is not None else None


def mark(objects: Sequence[Any], viewer: Any, settled: tuple[str, ...] = ()) -> None:
    """Remember that `objects` (fetched together) were read for `viewer`; `settled` are
    links known to be visible already (a child's parent)."""
    peers = [o for o in objects if isinstance(o, models.Model)]
    for obj in peers:
        if READING not in obj.__dict__:
            obj.__dict__[READING] = Reading(viewer, peers, set(settled))


@contextlib.contextmanager
def reading_as(viewer: Any) -> Iterator[None]:
    """Records not read through `visible_to` (Django's own reads in the admin's delete
    and history pages) are read for `viewer` while this lasts."""
    token = _ambient.set(viewer)
    try:
        yield
    finally:
        _ambient.reset(token)


@contextlib.contextmanager
def unwithheld() -> Iterator[None]:
    """Links answer the real linked record (for the rules that validate a write)."""
    token = _truth.set(True)
    try:
        yield
    finally:
        _truth.reset(token)


def _chunks(ids: set[Any]) -> Iterable[list[Any]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def settle(holders: list[models.Model], name: str, user: Any) -> None:
    """Fill the link `name` of `holders` with what the user may see of its target: the
    record (the one already loaded, if any, then read for the user), else `Withheld`."""
    field: Any = holders[0]._meta.get_field(name)
    for holder in holders:
        reading = reading_of(holder)
        if reading is not None:
            reading.settled.add(name)
    linked = [h for h in holders if getattr(h, field.attname) is not None]
    ids = {getattr(h, field.attname) for h in linked}
    if not ids:
        return
    queryset = field.related_model._default_manager.visible_to(user)

    def loaded(holder: models.Model) -> models.Model | None:
        target = field.get_cached_value(holder) if field.is_cached(holder) else None
        if isinstance(target, models.Model) and target.pk == getattr(holder, field.attname):
            return target
        return None

    fetched: dict[Any, models.Model] = {}
    if all(loaded(h) is not None for h in linked):
        # Loaded already (select_related): ask only which ones the user may see.
        shown = {
            pk
            for chunk in _chunks(ids)
            for pk in queryset.filter(pk__in=chunk).values_list("pk", flat=True)
        }
    else:
        fetched = {t.pk: t for chunk in _chunks(ids) for t in queryset.filter(pk__in=chunk)}
        shown = set(fetched)
    kept: dict[int, models.Model] = {}
    for holder in linked:
        target_id = getattr(holder, field.attname)
        target: Any = Withheld(target_id)
        if target_id in shown:
            target = loaded(holder) or fetched[target_id]
            kept.setdefault(id(target), target)
        field.set_cached_value(holder, target)
    # Records loaded with their holders (select_related) are now read for the user too.
    mark(list(kept.values()), user)


def _settle_peers(instance: models.Model, name: str, reading: Reading) -> None:
    model = type(instance)
    peers = [
        p
        for p in reading.peers
        if type(p) is model and (r := reading_of(p)) is not None and name not in r.settled
    ]
    if instance not in peers:
        peers.append(instance)
    settle(peers, name, reading.viewer)


def _mark_loaded(instance: models.Model, field: Any, reading: Reading) -> None:
    model = type(instance)
    loaded = [
        field.get_cached_value(p)
        for p in (*reading.peers, instance)
        if type(p) is model and field.is_cached(p)
    ]
    mark([t for t in loaded if isinstance(t, models.Model)], reading.viewer)


class _Withholding:
    """What the forward link descriptors add to Django's."""

    field: Any

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        reading = reading_of(instance)
        name = self.field.name
        if reading is None and not _truth.get() and _ambient.get() is not None:
            mark([instance], _ambient.get())
            reading = reading_of(instance)
        if reading is None or _truth.get():
            cached = self.field.get_cached_value(instance, None)
            if isinstance(cached, Withheld):
                if _truth.get():
                    return self.field.related_model._base_manager.get(pk=cached.pk)
                return cached
            return super().__get__(instance, cls)  # type: ignore[misc]
        if getattr(instance, self.field.attname) is None:
            return None
        if name not in reading.settled:
            _settle_peers(instance, name, reading)
        elif not self.field.is_cached(instance):
            # Visible by construction (a child's parent): Django's own read, then marked.
            value = super().__get__(instance, cls)  # type: ignore[misc]
            mark([value], reading.viewer)
            return value
        value = self.field.get_cached_value(instance)
        if isinstance(value, models.Model) and READING not in value.__dict__:
            # Visible by construction but loaded with its holder (select_related): it and
            # those of the holder's peers are read for the same user.
            _mark_loaded(instance, self.field, reading)
        return value

    def __set__(self, instance: Any, value: Any) -> None:
        super().__set__(instance, value)  # type: ignore[misc]
        reading = reading_of(instance)
        if reading is not None:
            # What code assigns is what it chose (from the choices the user may see).
            reading.settled.add(self.field.name)


class WithholdingForeignKeyDescriptor(_Withholding, ForwardManyToOneDescriptor):
    pass


class WithholdingOneToOneDescriptor(_Withholding, ForwardOneToOneDescriptor):
    pass


def install(all_models: Sequence[type[models.Model]]) -> int:
    """Put the withholding descriptors on every forward link to a record with a release;
    returns how many."""
    count = 0
    for model in all_models:
        for field in model._meta.get_fields():
            if not getattr(field, "concrete", False) or not field.is_relation:
                continue
            if not (field.many_to_one or field.one_to_one):
                continue
            if not has_release(field.related_model):
                continue
            # Only the model that declares the field: subclasses inherit the descriptor.
            if field.model is not model:
                continue
            kind: Any = WithholdingForeignKeyDescriptor
            if field.one_to_one:
                kind = WithholdingOneToOneDescriptor
            setattr(model, field.name, kind(field))
            count += 1
    return count


class ReaderQuerySet(models.QuerySet[Any]):
    """A queryset that remembers for whom it reads (`visible_to` sets it) and marks the
    records it yields (see the module's docstring)."""

    _viewer: Any = None
    # Links of the records read that are visible by construction (a child's parent).
    settled_links: tuple[str, ...] = ()

    def read_for(self, viewer: Any) -> Self:
        clone = self._chain()  # type: ignore[attr-defined]
        clone._viewer = viewer
        return clone

    def _clone(self) -> Self:
        clone = super()._clone()  # type: ignore[misc]
        clone._viewer = self._viewer
        return clone

    def _inherited_viewer(self) -> Any:
        """The reader of the record whose related manager made this queryset, if any."""
        hints = getattr(self, "_hints", None) or {}
        return reader_of(hints.get("instance"))

    def _fetch_all(self) -> None:
        if self._result_cache is not None:
            super()._fetch_all()
            return
        viewer = self._viewer
        inherited = viewer is None and (viewer := self._inherited_viewer()) is not None
        super()._fetch_all()
        if viewer is None or not self._result_cache:
            return
        if not issubclass(self._iterable_class, ModelIterable):
            return
        if inherited and not self._children_of_hint():
            # A related manager of a record read for a user: only what they may see.
            rows = [o for o in self._result_cache if isinstance(o, models.Model)]
            shown = set(
                self.model._default_manager.visible_to(viewer)
                .filter(pk__in=[o.pk for o in rows])
                .values_list("pk", flat=True)
            )
            self._result_cache = [o for o in self._result_cache if o.pk in shown]
        mark(self._result_cache, viewer, self._settled())

    def _children_of_hint(self) -> bool:
        """Whether the rows are children of the (visible) record whose manager made them."""
        parent = getattr(self.model, "parent_field", "")
        instance = (getattr(self, "_hints", None) or {}).get("instance")
        if not parent or instance is None:
            return False
        return isinstance(instance, self.model._meta.get_field(parent).related_model)

    def _settled(self) -> tuple[str, ...]:
        parent = getattr(self.model, "parent_field", "")
        return (*self.settled_links, *((parent,) if parent else ()))

    def _iterator(self, use_chunked_fetch: bool, chunk_size: int | None) -> Iterator[Any]:
        if self._viewer is None:
            yield from super()._iterator(use_chunked_fetch, chunk_size)  # type: ignore[misc]
            return
        batch: list[Any] = []
        settled = self._settled()
        for obj in super()._iterator(use_chunked_fetch, chunk_size):  # type: ignore[misc]
            batch.append(obj)
            if len(batch) >= (chunk_size or BATCH):
                mark(batch, self._viewer, settled)
                yield from batch
                batch = []
        mark(batch, self._viewer, settled)
        yield from batch
