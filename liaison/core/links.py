"""What a user may see of the records a record links to.

A record the user may see can link (foreign key, many-to-many) to a record the user may
not see: a position to another mission's private organisation, a session to a hidden
course. The link's target is then withheld wherever the record is shown (a page, a
list, an export, a search result, a picker): it reads as `Withheld` ("not released to
you") and links nowhere. Only the records of the link fields' own release count, so
that nothing needs a change in the models, and the cost does not grow with the number
of records: one query per link, whatever the number of records that carry it.

A record's name (`str()`) may read its links (a position's name holds its person's and
its organisation's): `NAME_LINKS` lists them, so that `withhold_names` clears a name
before it is printed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Prefetch

from liaison.core.querysets import visible
from liaison.core.registry import register_name_links, registry

# The stand-in, the release test and the settling of a link live with the reading
# (core.withholding); code that prints links reads them here too.
from liaison.core.withholding import Withheld as Withheld
from liaison.core.withholding import has_release as has_release
from liaison.core.withholding import settle as settle

# The links that the name (`__str__`) of each kind of record reads, by model label: the
# name links store of the registry (core.registry), filled by each app's
# `AppConfig.ready()` with `register_name_links`. Core's own citations read their source.
# tests/test_linked_records.py checks that a name costs no query once they are withheld.
NAME_LINKS: dict[str, tuple[str, ...]] = registry["name_links"]
register_name_links("core.citation", ("source",))


def _forward_link(model: type[models.Model], name: str) -> Any:
    """The foreign key (or one-to-one) `name` of `model`, if it leads to a record with a
    release; None otherwise."""
    try:
        field: Any = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if not (field.many_to_one or field.one_to_one) or not field.concrete:
        return None
    return field if has_release(field.related_model) else None


@cache
def name_paths(model: type[models.Model]) -> tuple[str, ...]:
    """Every link a record's name reads, through the names of the records it links to
    ("person", "session", "session__course" for an enrolment)."""
    paths: list[str] = []
    for name in NAME_LINKS.get(model._meta.label_lower, ()):
        field = _forward_link(model, name)
        if field is None:
            continue
        paths.append(name)
        paths.extend(f"{name}__{sub}" for sub in name_paths(field.related_model))
    return tuple(paths)


def link_path(model: type[models.Model], accessor: str) -> str | None:
    """The longest run of links to records with a release at the start of `accessor`
    ("course__school" for "course__school__organization__country__name_fr" when
    countries have no release); None when it starts with no such link."""
    steps = str(accessor).replace(".", "__").split("__")
    reached: list[str] = []
    current = model
    for step in steps:
        field = _forward_link(current, step)
        if field is None:
            break
        reached.append(step)
        current = field.related_model
    return "__".join(reached) or None


def _expanded(model: type[models.Model], paths: Iterable[str]) -> list[str]:
    """`paths`, each after its prefixes and followed by the links its target's name
    reads; the shortest first, so that a link is settled before those beyond it."""
    found: dict[str, None] = {}
    for path in paths:
        steps = path.split("__")
        current = model
        for depth, step in enumerate(steps, start=1):
            field = _forward_link(current, step)
            if field is None:
                raise FieldDoesNotExist(f"{model.__name__} has no link {path!r} to withhold.")
            current = field.related_model
            found["__".join(steps[:depth])] = None
        for sub in name_paths(current):
            found[f"{path}__{sub}"] = None
    return sorted(found, key=lambda p: p.count("__"))


def _reached(objects: Sequence[models.Model], steps: list[str]) -> list[models.Model]:
    """The records `steps` lead to from `objects`, through the links already settled
    (never a query); each once."""
    current = list(objects)
    for step in steps:
        following: dict[int, models.Model] = {}
        for obj in current:
            field: Any = obj._meta.get_field(step)
            if not field.is_cached(obj):
                continue
            target = field.get_cached_value(obj)
            if isinstance(target, models.Model):
                following.setdefault(id(target), target)
        current = list(following.values())
    return current


def withhold_hidden(objects: Iterable[Any], user: Any, *paths: str) -> None:
    """Fill the links `paths` of `objects` (all of one model; "course__school" follows a
    link's link) with what the user may see: the linked record, or `Withheld`. The names
    of the linked records are cleared too (see `name_paths`). One query per link,
    whatever the number of objects; a link already loaded costs only the check."""
    records = [o for o in objects if isinstance(o, models.Model)]
    if not records or not paths:
        return
    for path in _expanded(type(records[0]), paths):
        *head, last = path.split("__")
        holders = _reached(records, head)
        if holders:
            settle(holders, last, user)


def withhold_names(objects: Iterable[Any], user: Any) -> None:
    """Clear the names of `objects`, of any kinds: what `str()` then prints of a linked
    record is what the user may see of it."""
    by_model: dict[type[models.Model], list[models.Model]] = defaultdict(list)
    for obj in objects:
        if isinstance(obj, models.Model):
            by_model[type(obj)].append(obj)
    for model, records in by_model.items():
        withhold_hidden(records, user, *name_paths(model))


def shown_related(obj: models.Model, name: str, user: Any) -> list[models.Model]:
    """The records of the many-to-many link `name` of `obj` that the user may see (their
    names cleared), in one query (two when their names read links)."""
    field: Any = obj._meta.get_field(name)
    target = field.related_model
    manager: Any = getattr(obj, name)
    if not has_release(target):
        return list(manager.all())
    records = list(visible(target, user).filter(pk__in=manager.values("pk")))
    withhold_names(records, user)
    return records


def visible_link(field: str, model: type[models.Model], user: Any, **kw: Any) -> Prefetch:
    """Prefetch a foreign key (or many-to-many) keeping only the records the user sees:
    a link to any other record reads as empty."""
    return Prefetch(field, queryset=visible(model, user), **kw)
