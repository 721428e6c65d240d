"""The dry run and the commit of an import: one pass over the rows, in batches.

Each row is read into values, its linked records are found among those the user may see,
the record it names is found by its key (external identifier within the importing
workspace, or parent and natural key for child records), and the result is validated
by the model's own rules (`full_clean`, its check constraints, its unique constraints)
and those its edit form adds (`ImportKind.check`). A row is then *created*, *updated*,
*unchanged* or *refused* with the reasons (column, value, reason).

The commit does the same and writes each batch in bulk (core.bulk), all in one
transaction: one refused row anywhere and nothing is written. A row that changes nothing
writes nothing (no history row, no version bump), so importing a file twice changes
nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import decimal
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, models, transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from liaison.core import access, bulk
from liaison.core.context import acting_as
from liaison.core.imports.reading import FileError, cell_problem, read_rows, shown
from liaison.core.imports.spec import (
    BOOL,
    CHOICE,
    DATE,
    DECIMAL,
    INT,
    LINK,
    LINKS,
    LIST,
    SEPARATOR,
    ChildSet,
    Column,
    ImportKind,
    Link,
)
from liaison.core.models import OwnedModel, Workspace
from liaison.core.text import fold

logger = logging.getLogger(__name__)

BATCH = 1000
CREATED, UPDATED, UNCHANGED, REFUSED = "created", "updated", "unchanged", "refused"
TRUE = {"yes", "oui", "true", "vrai", "1", "x", "y", "o"}
FALSE = {"no", "non", "false", "faux", "0", "n"}


@dataclass(slots=True)
class Problem:
    column: str
    value: str
    reason: str


@dataclass(slots=True)
class RowResult:
    row: int
    action: str
    key: str
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Report:
    kind: str
    rows: list[RowResult] = field(default_factory=list)
    file_problems: list[str] = field(default_factory=list)
    committed: bool = False
    dry_run: bool = True

    @property
    def ok(self) -> bool:
        return not self.file_problems and not any(r.action == REFUSED for r in self.rows)

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys((CREATED, UPDATED, UNCHANGED, REFUSED), 0)
        for row in self.rows:
            counts[row.action] += 1
        return counts

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "committed": self.committed,
            "dry_run": self.dry_run,
            "file_problems": self.file_problems,
            "counts": self.counts,
            "rows": [
                [r.row, r.action, r.key, [[p.column, p.value, p.reason] for p in r.problems]]
                for r in self.rows
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        """The report `as_dict` wrote (a job's, read back by the command that queued it)."""
        return cls(
            kind=data["kind"],
            committed=data["committed"],
            dry_run=data["dry_run"],
            file_problems=list(data["file_problems"]),
            rows=[
                RowResult(row, action, key, [Problem(*p) for p in problems])
                for row, action, key, problems in data["rows"]
            ],
        )

    def lines(self) -> Iterator[str]:
        """The report as text, one line per row (and per reason of a refused row)."""
        for problem in self.file_problems:
            yield _("file: %(reason)s") % {"reason": problem}
        for row in self.rows:
            yield _("row %(row)s: %(action)s %(key)s") % {
                "row": row.row,
                "action": action_label(row.action),
                "key": row.key,
            }
            for p in row.problems:
                yield "    " + _("column %(column)s, value %(value)r: %(reason)s") % {
                    "column": p.column or "-",
                    "value": p.value,
                    "reason": p.reason,
                }
        counts = self.counts
        yield (
            _(
                "%(created)s created, %(updated)s updated, %(unchanged)s unchanged, "
                "%(refused)s refused."
            )
            % counts
        )
        if not self.dry_run:
            yield _("Imported.") if self.committed else _("Nothing was imported.")


def action_label(action: str) -> str:
    return {
        CREATED: _("created"),
        UPDATED: _("updated"),
        UNCHANGED: _("unchanged"),
        REFUSED: _("refused"),
    }[action]


class Pending:
    """A record named earlier in the same file and not written yet (dry run)."""


PENDING = Pending()


class Resolver:
    """Finds linked records by external identifier or name among those the user sees."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self.maps: dict[tuple[str, str], dict[str, set[int]]] = {}
        self.owners: dict[str, dict[int, int]] = {}
        # Records of the kind being imported, named earlier in the file.
        self.in_file: dict[str, dict[str, Any]] = {}

    def _load(self, link: Link) -> None:
        model = link.model_class
        manager: Any = model._default_manager
        queryset = manager.visible_to(self.user) if hasattr(manager, "visible_to") else manager
        owned = issubclass(model, OwnedModel)
        names = ["pk", *(["owner_id"] if owned else []), *link.by]
        maps: list[dict[str, set[int]]] = [{} for _ in link.by]
        owners: dict[int, int] = {}
        for values in queryset.values_list(*names).iterator(chunk_size=5000):
            pk = values[0]
            if owned:
                owners[pk] = values[1]
            for index, value in enumerate(values[2 if owned else 1 :]):
                texts = value if isinstance(value, list) else [value]
                for text in texts:
                    if text:
                        maps[index].setdefault(fold(str(text)), set()).add(pk)
        for name, found in zip(link.by, maps, strict=True):
            self.maps[(link.model, name)] = found
        self.owners[link.model] = owners

    def resolve(self, link: Link, text: str) -> tuple[Any, str]:
        """(pk, instance or PENDING; "" ) when found, else (None, reason)."""
        if (link.model, link.by[0]) not in self.maps:
            self._load(link)
        key = fold(text)
        for name in link.by:
            hits = self.maps[(link.model, name)].get(key, set())
            if len(hits) == 1:
                return next(iter(hits)), ""
            if len(hits) > 1:
                return None, _("several records have this name: give the external identifier.")
        pending = self.in_file.get(link.model, {}).get(key)
        if pending is not None:
            return pending, ""
        return None, _("not found among the records you may see.")

    def owner_of(self, link: Link, pk: int) -> int | None:
        return self.owners.get(link.model, {}).get(pk)


def _choices(model_field: Any) -> dict[str, str]:
    from django.utils import translation

    found: dict[str, str] = {}
    for value, label in model_field.choices or ():
        found[fold(str(value))] = value
        for language in ("fr", "en"):
            with translation.override(language):
                found.setdefault(fold(str(label)), value)
    return found


class Converter:
    """Turns a cell's text into the value of a column (or a reason it cannot)."""

    def __init__(self, kind: ImportKind, resolver: Resolver) -> None:
        self.kind = kind
        self.resolver = resolver
        self._choice_maps: dict[tuple[str, str], dict[str, str]] = {}

    def choice_map(self, model: type[models.Model], name: str) -> dict[str, str]:
        key = (model._meta.label, name)
        if key not in self._choice_maps:
            self._choice_maps[key] = _choices(model._meta.get_field(name))
        return self._choice_maps[key]

    def convert(self, model: type[models.Model], column: Column, text: str) -> tuple[Any, str]:
        kind = column.type
        if text == "":
            return None, ""
        if kind == INT:
            try:
                return int(text), ""
            except ValueError:
                return None, _("not a whole number.")
        if kind == DECIMAL:
            cleaned = text.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
            if "," in cleaned and "." not in cleaned:
                cleaned = cleaned.replace(",", ".")
            try:
                return decimal.Decimal(cleaned), ""
            except decimal.InvalidOperation:
                return None, _("not a number.")
        if kind == DATE:
            for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
                try:
                    return dt.datetime.strptime(text, fmt).date(), ""
                except ValueError:
                    continue
            return None, _("not a date (YYYY-MM-DD).")
        if kind == BOOL:
            folded = fold(text)
            if folded in TRUE:
                return True, ""
            if folded in FALSE:
                return False, ""
            return None, _("not yes or no.")
        if kind == CHOICE:
            value = self.choice_map(model, column.target or column.name).get(fold(text))
            if value is None:
                choice_field: Any = model._meta.get_field(column.target or "")
                allowed = ", ".join(str(v) for v, _label in choice_field.choices or ())
                return None, _("not one of: %(allowed)s.") % {"allowed": allowed}
            return value, ""
        if kind == LIST:
            return [part.strip() for part in text.split(SEPARATOR) if part.strip()], ""
        if kind == LINK:
            assert column.link is not None
            return self.resolver.resolve(column.link, text)
        if kind == LINKS:
            assert column.link is not None
            found = []
            for part in (p.strip() for p in text.split(SEPARATOR)):
                if part:
                    value, reason = self.resolver.resolve(column.link, part)
                    if reason:
                        return None, f"{part}: {reason}"
                    found.append(value)
            return found, ""
        return text, ""


def _empty_value(model_field: Any) -> Any:
    """What an empty cell sets: nothing for a field that must hold a value."""
    if model_field.null:
        return None
    if isinstance(model_field, models.JSONField):
        return []
    if model_field.blank and isinstance(model_field, models.CharField | models.TextField):
        return ""
    return _KEEP


class _Keep:
    pass


_KEEP = _Keep()


# Python evaluation of check constraints (three-valued, like SQL): None is "unknown".
def _compare(op: str, left: Any, right: Any) -> bool | None:
    if op == "isnull":
        return (left is None) == bool(right)
    if left is None or right is None:
        return None
    try:
        return {
            "exact": lambda: left == right,
            "gte": lambda: left >= right,
            "gt": lambda: left > right,
            "lte": lambda: left <= right,
            "lt": lambda: left < right,
        }[op]()
    except (KeyError, TypeError):
        raise _CannotEvaluate from None


class _CannotEvaluate(Exception):
    pass


def _value(obj: Any, name: str) -> Any:
    if name == "pk":
        return obj.pk
    return getattr(obj, obj._meta.get_field(name).attname)


def _evaluate(q: Any, obj: Any) -> bool | None:
    results: list[bool | None] = []
    for child in q.children:
        if isinstance(child, Q):
            results.append(_evaluate(child, obj))
            continue
        lookup, right = child
        parts = lookup.split("__")
        op = parts.pop() if parts[-1] in {"exact", "isnull", "gte", "gt", "lte", "lt"} else "exact"
        if len(parts) != 1:
            raise _CannotEvaluate
        if isinstance(right, F):
            right = _value(obj, str(getattr(right, "name", "")))
        elif hasattr(right, "resolve_expression"):
            raise _CannotEvaluate
        results.append(_compare(op, _value(obj, parts[0]), right))
    if q.connector == Q.AND:
        out = False if False in results else (None if None in results else True)
    else:
        out = True if True in results else (None if None in results else False)
    return (None if out is None else not out) if q.negated else out


def check_constraints(obj: Any, skip: set[str]) -> list[tuple[list[str], str]]:
    """The constraints `obj` breaks: ([fields], message). Checks are evaluated in Python
    (the database is asked only for forms this cannot read); unique constraints are
    asked of the database, except those named in `skip` (the import's own keys)."""
    broken: list[tuple[list[str], str]] = []
    for constraint in obj._meta.constraints:
        if constraint.name in skip:
            continue
        if isinstance(constraint, models.CheckConstraint):
            try:
                result = _evaluate(constraint.condition, obj)
            except (_CannotEvaluate, LookupError, AttributeError):
                result = None
                try:
                    constraint.validate(type(obj), obj)
                except ValidationError as error:
                    broken.append(([], " ".join(error.messages)))
                continue
            if result is False:
                names = sorted(_q_fields(constraint.condition))
                broken.append((names, str(constraint.get_violation_error_message())))
        elif isinstance(constraint, models.UniqueConstraint):
            values = [getattr(obj, obj._meta.get_field(f).attname, None) for f in constraint.fields]
            if any(v is None for v in values):
                continue
            try:
                constraint.validate(type(obj), obj)
            except ValidationError as error:
                broken.append((list(constraint.fields), " ".join(error.messages)))
    return broken


def _q_fields(q: Any) -> set[str]:
    names: set[str] = set()
    for child in q.children:
        if isinstance(child, Q):
            names |= _q_fields(child)
        else:
            names.add(child[0].split("__")[0])
    return names


@dataclass
class _Row:
    number: int
    cells: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)
    result: RowResult | None = None
    obj: Any = None
    changed: set[str] = field(default_factory=set)
    m2m: dict[str, list[Any]] = field(default_factory=dict)
    children: dict[str, tuple[list[Any], list[Any]]] = field(default_factory=dict)


class _Rollback(Exception):
    pass


class Importer:
    def __init__(
        self,
        kind: ImportKind,
        user: Any,
        workspace: Workspace | None,
        commit: bool,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.kind = kind
        self.model = kind.model_class
        self.user = user
        self.workspace = workspace
        self.commit = commit
        self.progress = progress
        self.resolver = Resolver(user)
        self.converter = Converter(kind, self.resolver)
        self.report = Report(kind.slug, dry_run=not commit)
        self.seen: dict[tuple[Any, ...], int] = {}
        self.new_keys: list[Any] = []
        self.failed = False
        self.writable = access.writable_workspace_ids(user, self.model)
        self.key_constraints = {
            c.name
            for c in self.model._meta.constraints
            if (isinstance(c, models.UniqueConstraint) and set(c.fields) <= {*kind.key, "owner"})
            or c.name.endswith("_external_id_unique")
        }
        self.parent_column = kind.column(kind.parent) if kind.parent else None

    # -- the file ---------------------------------------------------------------------
    def run(self, path: Path | str, fmt: str) -> Report:
        try:
            header, rows = read_rows(path, fmt)
        except FileError as error:
            self.report.file_problems.append(str(error))
            return self.report
        if not self._check_header(header) or not self._check_workspace():
            return self.report
        try:
            if not self.commit:
                self._rows(header, rows)
                return self.report
            with transaction.atomic():
                self._rows(header, rows)
                if not self.report.ok:
                    raise _Rollback
        except _Rollback:
            self.report.committed = False
        except FileError as error:  # met while reading the rows: nothing is imported
            self.report.file_problems.append(str(error))
            self.report.committed = False
        except DatabaseError as error:  # what the checks could not foresee
            logger.exception("import of %s refused by the database", self.kind.slug)
            self.report.file_problems.append(
                _("The database refused the import; nothing was imported: %(reason)s")
                % {"reason": shown(str(error).strip(), 300)}
            )
            self.report.committed = False
        else:
            self.report.committed = True
        finally:
            close = getattr(rows, "close", None)
            if close is not None:
                close()
        return self.report

    def _check_header(self, header: list[str]) -> bool:
        known = {c.name for c in self.kind.all_columns}
        for name in header:
            if name and name not in known:
                self.report.file_problems.append(
                    _("Unknown column %(name)s (see the template for the columns).")
                    % {"name": shown(name)}
                )
        for column in self.kind.all_columns:
            if column.required and column.name not in header:
                self.report.file_problems.append(
                    _("The column %(name)s is missing.") % {"name": column.name}
                )
        self.header = header
        return not self.report.file_problems

    def _check_workspace(self) -> bool:
        if not self.kind.owned:
            return True
        if self.workspace is None:
            self.report.file_problems.append(_("Choose the workspace to import into."))
        elif not access.can_add(self.user, self.model, self.workspace.pk):
            self.report.file_problems.append(
                _("You may not add %(records)s to the workspace %(workspace)s.")
                % {"records": self.model._meta.verbose_name_plural, "workspace": self.workspace}
            )
        return not self.report.file_problems

    def _rows(self, header: list[str], rows: Iterator[tuple[int, list[str]]]) -> None:
        batch: list[_Row] = []
        done = 0
        for number, cells in rows:
            batch.append(_Row(number, dict(zip(header, cells, strict=False))))
            if len(batch) >= BATCH:
                self._batch(batch)
                done += len(batch)
                batch = []
                if self.progress:
                    self.progress(done)
        if batch:
            self._batch(batch)
            done += len(batch)
            if self.progress:
                self.progress(done)

    # -- one batch --------------------------------------------------------------------
    def _batch(self, batch: list[_Row]) -> None:
        for row in batch:
            self._check_cells(row)
        if self.kind.owned:
            # Keys are plain text: find the records first, then read each row in order, so
            # that a row may name a record created by a row above it.
            existing = self._existing(batch)
            for row in batch:
                if row.result is None:
                    self._guarded(self._read, row)
                if row.result is None:
                    self._guarded(self._build, row, existing)
        else:
            for row in batch:
                if row.result is None:
                    self._guarded(self._read, row)
            existing = self._existing(batch)
            for row in batch:
                if row.result is None:
                    self._guarded(self._build, row, existing)
            self.report.rows[-len(batch) :] = sorted(
                self.report.rows[-len(batch) :], key=lambda r: r.row
            )
        if self.commit and not self.failed:
            self._write(batch)
        own = self.resolver.in_file.get(self.kind.model, {})
        for key in self.new_keys:  # keep ids, never instances, from batch to batch
            value = own[key]
            if isinstance(value, models.Model):
                own[key] = value.pk if value.pk is not None else PENDING
        self.new_keys = []

    def _check_cells(self, row: _Row) -> None:
        """What no column may hold (the database would refuse it, or it is not text): the
        dry run refuses it as the commit would."""
        problems = []
        for name, text in row.cells.items():
            reason = cell_problem(text)
            if reason:
                problems.append(Problem(name, shown(text), reason))
        if problems:
            self._refuse(row, problems)

    def _guarded(self, step: Callable[..., None], row: _Row, *args: Any) -> None:
        """A row that a rule cannot check is refused with the reason, never a traceback
        (errors of the database itself stop the import: see run)."""
        try:
            step(row, *args)
        except DatabaseError:
            raise
        except Exception as error:
            logger.exception(
                "import of %s: row %s could not be checked", self.kind.slug, row.number
            )
            if row.result is None:
                self._refuse(
                    row,
                    [
                        Problem(
                            "", "", _("this row could not be checked: %(error)s") % {"error": error}
                        )
                    ],
                )

    def _refuse(self, row: _Row, problems: list[Problem]) -> None:
        row.result = RowResult(row.number, REFUSED, self._key_text(row), problems)
        self.report.rows.append(row.result)
        self.failed = True

    def _key_text(self, row: _Row) -> str:
        return " / ".join(row.cells.get(name, "") for name in self.kind.key)

    def _read(self, row: _Row) -> None:
        problems: list[Problem] = []
        for column in self.kind.columns:
            if column.name not in self.header:
                continue
            text = row.cells.get(column.name, "")
            if text == "" and column.required:
                problems.append(Problem(column.name, text, _("This column is required.")))
                continue
            value, reason = self.converter.convert(self.model, column, text)
            if reason:
                problems.append(Problem(column.name, text, reason))
            else:
                row.values[column.name] = value
        for child in self.kind.children:
            if child.column.name in self.header:
                self._read_children(row, child, problems)
        if not problems:
            key = self._key(row)
            first = self.seen.get(key)
            if first is not None:
                problems.append(
                    Problem(
                        self.kind.key[0],
                        self._key_text(row),
                        _("the same record is already on row %(row)s.") % {"row": first},
                    )
                )
            else:
                self.seen[key] = row.number
        if not problems and self.parent_column is not None:
            parent = row.values[self.parent_column.name]
            assert self.parent_column.link is not None
            owner = (
                self.resolver.owner_of(self.parent_column.link, parent)
                if isinstance(parent, int)
                else None
            )
            if owner not in self.writable:
                problems.append(
                    Problem(
                        self.parent_column.name,
                        row.cells.get(self.parent_column.name, ""),
                        _("you may not change this record."),
                    )
                )
        if problems:
            self._refuse(row, problems)

    def _key(self, row: _Row) -> tuple[Any, ...]:
        key = []
        for name in self.kind.key:
            value = row.values.get(name)
            if value is None and not self.kind.owned:
                model_field = self._field(name)
                if not model_field.is_relation and model_field.has_default():
                    value = model_field.get_default()
            key.append(id(value) if isinstance(value, models.Model) else value)
        if self.kind.owned:
            key[0] = fold(str(key[0] or ""))
        return tuple(key)

    def _read_children(self, row: _Row, child: ChildSet, problems: list[Problem]) -> None:
        text = row.cells.get(child.column.name, "")
        model = child.model_class
        wanted: list[dict[str, Any]] = []
        for item in (p.strip() for p in text.split(SEPARATOR)):
            if not item:
                continue
            pieces = item.split(":", len(child.parts) - 1)
            values: dict[str, Any] = {}
            for part, piece in zip(child.parts, pieces, strict=False):
                value, reason = self.converter.convert(model, part, piece.strip())
                if reason:
                    problems.append(Problem(child.column.name, item, f"{part.name}: {reason}"))
                    return
                values[part.target or part.name] = value
            for part in child.parts:
                if part.required and values.get(part.target or part.name) in (None, ""):
                    problems.append(
                        Problem(
                            child.column.name,
                            item,
                            _("%(part)s is required.") % {"part": part.name},
                        )
                    )
                    return
            wanted.append(values)
        row.values[child.column.name] = wanted

    def _existing(self, batch: list[_Row]) -> dict[tuple[Any, ...], Any]:
        rows = [r for r in batch if r.result is None]
        if not rows:
            return {}
        manager: Any = self.model._default_manager
        if self.kind.owned:
            ids = [r.cells.get("external_id", "") for r in rows]
            queryset = manager.filter(owner=self.workspace, external_id__in=ids)
            if self.commit:
                queryset = queryset.select_for_update()
            related = [
                self._accessor(c) for c in self.kind.children if c.column.name in self.header
            ]
            queryset = queryset.prefetch_related(*related)
            return {(fold(obj.external_id),): obj for obj in queryset}
        parents = {r.values[self.kind.parent] for r in rows}
        parent_field = self.kind.parent
        found = {}
        for obj in manager.filter(
            **{f"{parent_field}__in": [p for p in parents if isinstance(p, int)]}
        ):
            key = tuple(getattr(obj, self._field(name).attname) for name in self.kind.key)
            found[key] = obj
        return found

    def _field(self, name: str) -> Any:
        return self.model._meta.get_field(name)

    def _accessor(self, child: ChildSet) -> str:
        remote: Any = child.model_class._meta.get_field(child.parent_field).remote_field
        return str(remote.get_accessor_name())

    def _build(self, row: _Row, existing: dict[tuple[Any, ...], Any]) -> None:
        obj: Any = existing.get(self._key(row))
        adding = obj is None
        if adding:
            obj = self.model()
            if self.kind.owned:
                obj.owner = self.workspace
        problems: list[Problem] = []
        for column in self.kind.columns:
            target = column.target
            if target is None or column.name not in row.values:
                continue
            value = row.values[column.name]
            model_field = self._field(target)
            if model_field.many_to_many:
                row.m2m[target] = value or []
                continue
            if model_field.is_relation:
                if value is None:
                    if getattr(obj, model_field.attname) is not None:
                        row.changed.add(target)
                    setattr(obj, model_field.attname, None)
                elif isinstance(value, models.Model):
                    setattr(obj, target, value)
                    row.changed.add(target)
                elif value is PENDING:
                    row.changed.add(target)
                else:
                    if getattr(obj, model_field.attname) != value:
                        row.changed.add(target)
                    setattr(obj, model_field.attname, value)
                continue
            if value is None:
                value = _empty_value(model_field)
                if value is _KEEP:
                    continue
            if getattr(obj, model_field.attname) != value:
                row.changed.add(target)
                setattr(obj, model_field.attname, value)
        self._clean(row, obj, problems)
        if self.kind.check is not None:
            for name, reason in self.kind.check(row.values, obj):
                problems.append(Problem(name, row.cells.get(name, ""), str(reason)))
        if self.kind.owned:
            problems.extend(self._release_rule(row, obj))
        m2m_changed = self._m2m_changes(row, obj, adding)
        children_changed = self._children(row, obj, adding, problems)
        if problems:
            self._refuse(row, problems)
            return
        row.obj = obj
        if adding:
            action = CREATED
            if self.kind.owned:
                own = self.resolver.in_file.setdefault(self.kind.model, {})
                own[self._key(row)[0]] = obj if self.commit else PENDING
                self.new_keys.append(self._key(row)[0])
        elif row.changed or m2m_changed or children_changed:
            action = UPDATED
        else:
            action = UNCHANGED
        row.result = RowResult(row.number, action, self._key_text(row))
        self.report.rows.append(row.result)

    def _column_of(self, field_name: str) -> str:
        for column in self.kind.columns:
            if column.target == field_name:
                return column.name
        return field_name if field_name != NON_FIELD_ERRORS else ""

    def _clean(self, row: _Row, obj: Any, problems: list[Problem]) -> None:
        try:
            obj.full_clean(
                exclude=_relations(type(obj)), validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                column = self._column_of(name)
                for message in messages:
                    problems.append(Problem(column, row.cells.get(column, ""), message))
        for names, message in check_constraints(obj, self.key_constraints):
            column = next(
                (self._column_of(n) for n in names if self._column_of(n) in row.cells), ""
            )
            problems.append(Problem(column, row.cells.get(column, ""), message))

    def _release_rule(self, row: _Row, obj: Any) -> list[Problem]:
        """RecordForm's rule: a release to named workspaces names at least one (given in
        the file, or already on the record when the file has no released_to column)."""
        if obj.release != "named" or row.values.get("released_to"):
            return []
        if "released_to" not in self.header and obj.pk and obj.released_to.exists():
            return []
        return [Problem("released_to", "", _("Name at least one workspace to release to."))]

    def _m2m_changes(self, row: _Row, obj: Any, adding: bool) -> bool:
        changed = False
        for name, values in list(row.m2m.items()):
            wanted = {v if isinstance(v, int) else id(v) for v in values}
            current = set() if adding else set(getattr(obj, name).values_list("pk", flat=True))
            if wanted != current:
                changed = True
            else:
                del row.m2m[name]
        return changed

    def _children(self, row: _Row, obj: Any, adding: bool, problems: list[Problem]) -> bool:
        changed = False
        for child in self.kind.children:
            wanted = row.values.get(child.column.name)
            if wanted is None:
                continue
            model = child.model_class
            cell = row.cells.get(child.column.name, "")
            names = [p.target or p.name for p in child.parts]
            attnames = [str(getattr(model._meta.get_field(n), "attname", n)) for n in names]
            skip = {
                c.name for c in model._meta.constraints if isinstance(c, models.UniqueConstraint)
            }
            keys = []
            for values in wanted:
                instance = _child_instance(model, values)
                # Its clean() may read the parent (the vetting gate reads the activity).
                setattr(instance, child.parent_field, obj)
                try:
                    instance.full_clean(
                        exclude=_relations(model), validate_unique=False, validate_constraints=False
                    )
                except ValidationError as error:
                    problems.append(Problem(child.column.name, cell, " ".join(error.messages)))
                for _names, message in check_constraints(instance, skip):
                    problems.append(Problem(child.column.name, cell, message))
                if child.check is not None:
                    for reason in child.check(values):
                        problems.append(Problem(child.column.name, cell, str(reason)))
                keys.append(tuple(_normal(getattr(instance, a)) for a in attnames))
            if len(set(keys)) != len(keys):
                problems.append(
                    Problem(child.column.name, cell, _("the same item is given twice."))
                )
            current = [] if adding else list(getattr(obj, self._accessor(child)).all())
            current_keys = {tuple(_normal(getattr(c, a)) for a in attnames): c for c in current}
            wanted_keys = dict(zip(keys, wanted, strict=True))
            removed = [c for k, c in current_keys.items() if k not in wanted_keys]
            added = [v for k, v in wanted_keys.items() if k not in current_keys]
            if removed or added:
                changed = True
                row.children[child.column.name] = (removed, added)
        return changed

    # -- writing ----------------------------------------------------------------------
    def _write(self, batch: list[_Row]) -> None:
        rows = [r for r in batch if r.result is not None and r.result.action in (CREATED, UPDATED)]
        creates = [r.obj for r in rows if r.result and r.result.action == CREATED]
        # Records that name another record of the same file are written after it.
        while creates:
            ready = [o for o in creates if not _waits(o)]
            if not ready:  # pragma: no cover - a cycle within the file
                raise ValidationError(_("Records of the file name each other in a cycle."))
            bulk.create(self.model, ready)
            ready_ids = {id(o) for o in ready}
            creates = [o for o in creates if id(o) not in ready_ids]
        updates: dict[frozenset[str], list[Any]] = {}
        for r in rows:
            if r.result and r.result.action == UPDATED and r.changed:
                updates.setdefault(frozenset(r.changed), []).append(r.obj)
        for fields, objs in updates.items():
            bulk.update(self.model, objs, {self._field(f).name for f in fields})
        for r in rows:
            for name, values in r.m2m.items():
                getattr(r.obj, name).set([v if isinstance(v, int) else v.pk for v in values])
        for child in self.kind.children:
            model = child.model_class
            new: list[Any] = []
            old: list[Any] = []
            for r in rows:
                removed, added = r.children.get(child.column.name, ([], []))
                old.extend(removed)
                for values in added:
                    instance = _child_instance(model, values)
                    setattr(instance, child.parent_field, r.obj)
                    new.append(instance)
            bulk.delete(old)
            bulk.create(model, new)


def _child_instance(model: type[models.Model], values: dict[str, Any]) -> Any:
    instance = model()
    for name, value in values.items():
        model_field: Any = model._meta.get_field(name)
        if model_field.is_relation:
            setattr(instance, model_field.attname, value)
        elif value is not None:
            setattr(instance, name, value)
    return instance


_RELATIONS: dict[type[models.Model], list[str]] = {}


def _relations(model: type[models.Model]) -> list[str]:
    """The fields `full_clean` leaves to the import: links (found among the records the
    user sees) and what the user does not edit."""
    if model not in _RELATIONS:
        _RELATIONS[model] = [
            f.name
            for f in model._meta.get_fields()
            if f.is_relation or not getattr(f, "editable", True)
        ]
    return _RELATIONS[model]


def _normal(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return value.normalize()
    return value


def _waits(obj: models.Model) -> bool:
    """Whether `obj` links to a record that is not written yet."""
    fields: Any = obj._meta.concrete_fields
    for model_field in fields:
        if model_field.is_relation and model_field.is_cached(obj):
            related = model_field.get_cached_value(obj)
            if related is not None and related.pk is None:
                return True
    return False


def run_import(
    kind: ImportKind,
    path: Path | str,
    fmt: str,
    *,
    user: Any,
    workspace: Workspace | None,
    commit: bool,
    channel: str = "import",
    progress: Callable[[int], None] | None = None,
) -> Report:
    """Dry run (`commit=False`) or import a file; the user is the actor of every change."""
    with acting_as(user, channel=channel):
        return Importer(kind, user, workspace, commit, progress).run(path, fmt)
