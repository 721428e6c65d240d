"""Global search: one folded-text entry per record, kept up to date by signals.

Each app declares in its `search.py` which fields of which models are searched
(`register(Model, fields)`). Text is folded (core.text.fold) so that "haidara" finds
"Haïdara" and "cedeao" finds "CEDEAO", on SQLite and PostgreSQL alike; aliases are
indexed with the names, so that "ECOWAS" finds the brigade named in French.
Results always pass through the model's `visible_to`. A record's text may hold the names
of the records it links to (a position's, its person's and its organisation's): a record
matches only through what the user may read of it, and its name shows nothing the user
may not see (core.links).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldError
from django.db import connections, models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_delete, post_save

from liaison.core.links import Withheld, link_path
from liaison.core.models import SearchEntry
from liaison.core.querysets import visible
from liaison.core.registry import registry
from liaison.core.text import fold
from liaison.core.withholding import mark


@dataclass(frozen=True)
class SearchIndex:
    model: type[models.Model]
    fields: tuple[str, ...]

    def text_of(self, obj: models.Model) -> str:
        parts: list[str] = []
        for name in self.fields:
            value: Any = obj
            for step in name.split("__"):
                value = getattr(value, step, None) if value is not None else None
            if isinstance(value, list | tuple):
                parts.extend(str(v) for v in value)
            elif value not in (None, ""):
                parts.append(str(value))
        return fold(" ".join(parts))

    def links(self) -> list[tuple[str, type[models.Model]]]:
        """The links to records with a release that the indexed fields go through, with
        the model each leads to ("person", Person for "person__full_name")."""
        found: dict[str, type[models.Model]] = {}
        for name in self.fields:
            path = link_path(self.model, name)
            steps = path.split("__") if path else []
            model: Any = self.model
            for depth, step in enumerate(steps, start=1):
                model = model._meta.get_field(step).related_model
                found["__".join(steps[:depth])] = model
        return list(found.items())


# The search store of the registry (core.registry), by model; filled by each app's search.py.
REGISTRY: dict[type[models.Model], SearchIndex] = registry["search"]


def register(model: type[models.Model], fields: Iterable[str]) -> None:
    REGISTRY[model] = SearchIndex(model, tuple(fields))
    post_save.connect(_on_save, sender=model, dispatch_uid=f"search-save-{model._meta.label}")
    post_delete.connect(_on_delete, sender=model, dispatch_uid=f"search-delete-{model._meta.label}")


def index(obj: models.Model) -> None:
    entry = REGISTRY[type(obj)]
    SearchEntry.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        defaults={"text": entry.text_of(obj)},
    )


def _on_save(
    sender: type[models.Model], instance: models.Model, raw: bool = False, **kw: Any
) -> None:
    if not raw:
        index(instance)


def _on_delete(sender: type[models.Model], instance: models.Model, **kw: Any) -> None:
    SearchEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(sender), object_id=instance.pk
    ).delete()


def rebuild(batch_size: int = 2000) -> int:
    """Re-index every registered model (after a restore or a bulk load)."""
    count = 0
    for model, entry in REGISTRY.items():
        content_type = ContentType.objects.get_for_model(model)
        SearchEntry.objects.filter(content_type=content_type).delete()
        batch: list[SearchEntry] = []
        for obj in model._default_manager.iterator(chunk_size=batch_size):
            batch.append(
                SearchEntry(content_type=content_type, object_id=obj.pk, text=entry.text_of(obj))
            )
            if len(batch) >= batch_size:
                SearchEntry.objects.bulk_create(batch)
                count += len(batch)
                batch = []
        SearchEntry.objects.bulk_create(batch)
        count += len(batch)
    return count


# Words shorter than this are matched by reading the entries (the trigram indexes of
# SQLite's FTS5 and PostgreSQL's pg_trgm need three characters).
TRIGRAM = 3


def matching_entries(words: list[str]) -> models.QuerySet[Any]:
    """The search entries (of any kind) whose text holds every word.

    A word matches anywhere in the folded text, on both databases, through an index:
    SQLite's FTS5 trigram table (migration core 0004), PostgreSQL's GIN trigram index,
    which serves the same `LIKE '%word%'` that the plain lookup sends.
    """
    entries = SearchEntry.objects.all()
    indexed = [w for w in words if len(w) >= TRIGRAM]
    if indexed and connections[entries.db].vendor == "sqlite":
        phrase = " AND ".join('"{}"'.format(w.replace('"', '""')) for w in indexed)
        entries = entries.filter(
            pk__in=RawSQL(
                "SELECT rowid FROM core_searchentry_fts WHERE core_searchentry_fts MATCH %s",
                [phrase],
            )
        )
        words = [w for w in words if len(w) < TRIGRAM]
    for word in words:
        entries = entries.filter(text__contains=word)
    return entries


def matching_ids(model: type[models.Model], words: list[str]) -> models.QuerySet[Any]:
    """A subquery of the ids of `model`'s records whose text holds every word (whoever
    reads it: see `visible_matches` for what a user may find)."""
    content_type = ContentType.objects.get_for_model(model)
    return matching_entries(words).filter(content_type=content_type).values("object_id")


def id_set(ids: list[int], using: str = "default") -> RawSQL:
    """A subquery of `ids` sent as one parameter (a JSON array on SQLite, an array on
    PostgreSQL), for `pk__in=`: thousands of ids then cost neither one placeholder each
    in the SQL that Django builds nor one bound value each in the database."""
    if connections[using].vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [list(ids)])
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(list(ids))])


def visible_matches(
    queryset: models.QuerySet[Any], user: Any, words: list[str], ids: list[int] | None = None
) -> models.QuerySet[Any]:
    """The records of `queryset` (already restricted to what the user sees) whose text,
    as the user may read it, holds every word. A word found only in the name of a linked
    record the user may not see does not count: the records whose links the user sees
    all are matched by the database; the few others are read again without what is
    withheld, in a fixed number of queries."""
    model = queryset.model
    index = REGISTRY.get(model)
    links = index.links() if index is not None else []
    if ids is None and links and not any("__" in path for path, _ in links):
        # The matching ids are read once from the index and the links checked over
        # them (visible_match_ids): the alternative, the index and the links' release
        # as subqueries of every query the page runs (rows, count), rereads them each
        # time and rebuilds each record with a hidden link to read its text again.
        found = list(matching_ids(model, words).values_list("object_id", flat=True))
        kept = visible_match_ids(queryset, user, words, found) if found else []
        return queryset.filter(pk__in=id_set(kept, queryset.db))
    if ids is not None:
        ids = id_set(ids, queryset.db)  # type: ignore[assignment]
    matches = queryset.filter(pk__in=matching_ids(model, words) if ids is None else ids)
    if index is None or not links:
        return matches
    # Only the linked records of the matches are checked (not every record the user
    # sees), so that the cost follows the number of matches, not the size of the tables.
    scope = model._default_manager.filter(pk__in=matching_ids(model, words) if ids is None else ids)
    seen = Q()
    for path, target in links:
        shown = visible(target, user).filter(pk__in=scope.values(path)).values("pk")
        seen &= Q(**{f"{path}__isnull": True}) | Q(**{f"{path}__in": shown})
    all_seen = scope.filter(seen).values("pk")
    doubtful = list(matches.exclude(pk__in=all_seen))
    confirmed = [obj.pk for obj in doubtful if all(word in index.text_of(obj) for word in words)]
    return matches.filter(seen | Q(pk__in=id_set(confirmed, queryset.db)))


# Beyond this many matches of one kind, search says "1000+" rather than counting them
# all: the count then costs the same at a thousand records as at a million.
COUNT_CAP = 1000


@dataclass
class SearchGroup:
    model: type[models.Model]
    results: list[models.Model]
    total: int
    more: bool = False  # more than `total` (COUNT_CAP) match

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name_plural)


# Global search reads the matching entries of every kind once, when they are this many
# or fewer; past it (a very common word), each kind is matched in the database.
READ_ONCE_LIMIT = 50_000


def found_ids(words: list[str]) -> dict[int, list[int]] | None:
    """{content type id: object ids} of the entries holding every word, in one query;
    None when there are more than READ_ONCE_LIMIT."""
    rows = list(
        matching_entries(words).values_list("content_type_id", "object_id")[: READ_ONCE_LIMIT + 1]
    )
    if len(rows) > READ_ONCE_LIMIT:
        return None
    found: dict[int, list[int]] = {}
    for content_type_id, object_id in rows:
        found.setdefault(content_type_id, []).append(object_id)
    return found


def visible_match_ids(
    queryset: models.QuerySet[Any], user: Any, words: list[str], ids: list[int]
) -> list[int]:
    """The ids, among `ids` (the entries holding every word), of the records of
    `queryset` (already restricted to what the user sees) whose text, as the user may
    read it, holds every word: `visible_matches` for global search, which knows the ids.

    The ids go to the database as one parameter; the links are checked with one query
    per link over the matches' own link ids (not through a subquery the planner cannot
    size), and only the records with a hidden link are read again, without it."""
    model = queryset.model
    index = REGISTRY.get(model)
    links = index.links() if index is not None else []
    if index is None or any("__" in path for path, _ in links):
        # A link's link: the database sorts it out (visible_matches).
        return list(visible_matches(queryset, user, words, ids).values_list("pk", flat=True))
    fields = [model._meta.get_field(path) for path, _ in links]
    rows = list(
        queryset.filter(pk__in=id_set(ids, queryset.db))
        .order_by()
        .values_list("pk", *(f.attname for f in fields))
    )
    hidden: list[set[Any]] = []
    for position, (_, target) in enumerate(links, start=1):
        linked = {row[position] for row in rows if row[position] is not None}
        shown = (
            set(
                visible(target, user)
                .filter(pk__in=id_set(sorted(linked), queryset.db))
                .values_list("pk", flat=True)
            )
            if linked
            else set()
        )
        hidden.append(linked - shown)
    found: list[int] = []
    doubtful: list[tuple[Any, ...]] = []
    for row in rows:
        if any(row[n] in hidden[n - 1] for n in range(1, len(row))):
            doubtful.append(row)
        else:
            found.append(row[0])
    # Read even when no record is in doubt, so that a page costs the same queries
    # whether or not its matches have a hidden link.
    texts = _texts_as_read(index, doubtful, links, hidden, queryset.db)
    if texts is None:  # a field the database cannot read (a property): as records
        again = list(
            model._default_manager.filter(pk__in=id_set([row[0] for row in doubtful], queryset.db))
        )
        mark(again, user)  # rows of `queryset`: read for the user
        texts = {o.pk: index.text_of(o) for o in again}
    found.extend(pk for pk, text in texts.items() if all(w in text for w in words))
    return found


def _texts_as_read(
    index: SearchIndex,
    rows: list[tuple[Any, ...]],
    links: list[tuple[str, type[models.Model]]],
    hidden: list[set[Any]],
    using: str,
) -> dict[Any, str] | None:
    """{pk: text} of the records of `rows` ((pk, link id...), links as `links`), as
    `index.text_of` reads them once their `hidden` links are withheld, from one query of
    plain values (no record built); None when a field is not a database column."""
    model = index.model
    paths = [path for path, _ in links]
    try:
        values = {
            pk: rest
            for pk, *rest in model._default_manager.filter(
                pk__in=id_set([row[0] for row in rows], using)
            ).values_list("pk", *index.fields)
        }
    except FieldError:
        return None
    through = [link_path(model, name) for name in index.fields]
    texts: dict[Any, str] = {}
    for row in rows:
        read = values.get(row[0])
        if read is None:
            continue
        parts: list[str] = []
        for n, name in enumerate(index.fields):
            value: Any = read[n]
            link = through[n]
            if link is not None:
                position = paths.index(link)
                if row[position + 1] in hidden[position]:
                    # What the record reads of a withheld link (core.links.Withheld).
                    value = Withheld(row[position + 1])
                    for step in name.split("__")[1:]:
                        value = getattr(value, step, None) if value is not None else None
            if isinstance(value, list | tuple):
                parts.extend(str(v) for v in value)
            elif value not in (None, ""):
                parts.append(str(value))
        texts[row[0]] = fold(" ".join(parts))
    return texts


def search(user: Any, query: str, per_kind: int = 10) -> list[SearchGroup]:
    """Records the user may see that match every word of `query`, grouped by kind."""
    words = fold(query).split()
    if not words:
        return []
    found = found_ids(words)
    groups = []
    for model in REGISTRY:
        queryset = visible(model, user)
        if found is None:
            matches = visible_matches(queryset, user, words)
            results = list(matches[: per_kind + 1])
            total = len(results)
            if total > per_kind:
                total = matches.order_by()[: COUNT_CAP + 1].count()
        else:
            ids = found.get(ContentType.objects.get_for_model(model).pk)
            if not ids:
                continue  # nothing of this kind holds the words: no query at all
            shown = visible_match_ids(queryset, user, words, ids)
            if not shown:
                continue
            total = len(shown)
            # The first of the model's order, among records already known to be shown.
            results = list(
                model._default_manager.filter(pk__in=id_set(shown, queryset.db))[:per_kind]
            )
        if results:
            mark(results, user)  # known to be shown: read for the user
            groups.append(
                SearchGroup(model, results[:per_kind], min(total, COUNT_CAP), total > COUNT_CAP)
            )
    return groups
