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

Rules (a model's `clean()`, the vetting gate) must judge the truth, not what one user
sees: `full_clean()` runs `unwithheld()`, in which links answer the real record.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from typing import Any, Self

from django.db import models
from django.db.models.fields.related_descriptors import (
    ForwardManyToOneDescriptor,
    ForwardOneToOneDescriptor,
)
from django.db.models.query import ModelIterable

# The attribute of a model instance that holds its reading (`Reading`).
READING = "_liaison_reading"
# Records fetched together are settled together; `iterator()` batches by this many.
BATCH = 2000

_truth: ContextVar[bool] = ContextVar("liaison_unwithheld", default=False)


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
def unwithheld() -> Iterator[None]:
    """Links answer the real linked record (for the rules that validate a write)."""
    token = _truth.set(True)
    try:
        yield
    finally:
        _truth.reset(token)


def _settle_peers(instance: models.Model, name: str, reading: Reading) -> None:
    from liaison.core.links import settle

    model = type(instance)
    peers = [
        p
        for p in reading.peers
        if type(p) is model and (r := reading_of(p)) is not None and name not in r.settled
    ]
    if instance not in peers:
        peers.append(instance)
    settle(peers, name, reading.viewer)


class _Withholding:
    """What the forward link descriptors add to Django's."""

    field: Any

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        reading = reading_of(instance)
        name = self.field.name
        if reading is None or _truth.get():
            from liaison.core.links import Withheld

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
        else:
            # Visible by construction and already fetched (select_related): marked too,
            # with its peers' in one batch, so that its own links withhold in turn (an
            # enrolment's session names its course only if the reader may see it).
            model = type(instance)
            mark(
                [
                    self.field.get_cached_value(p)
                    for p in reading.peers
                    if type(p) is model and self.field.is_cached(p)
                ],
                reading.viewer,
            )
        return self.field.get_cached_value(instance)

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
    from liaison.core.links import has_release

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
