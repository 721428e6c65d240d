"""How an app declares an import kind: its model, its columns and their meaning.

Each app lists its kinds in `<app>/imports.py` with `register(ImportKind(...))`; core
does the rest (templates, reading CSV and XLSX, the dry run, the commit, the pages and
`liaison import`). A column's help is a translated string: templates show it in French
and in English side by side.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.core.registry import registry

# Column types: how a cell's text becomes a value.
TEXT, INT, DECIMAL, DATE, BOOL, CHOICE, LIST, LINK, LINKS = (
    "text",
    "int",
    "decimal",
    "date",
    "bool",
    "choice",
    "list",
    "link",
    "links",
)
# Several values in one cell are separated by this character.
SEPARATOR = ";"


@dataclass(frozen=True)
class Link:
    """A linked record named in a cell by its external identifier or one of its names.

    Only records the importing user may see are found; a record the user may not see
    reads "not found" exactly like one that does not exist."""

    model: str  # "app_label.Model"
    by: tuple[str, ...] = ("external_id",)

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)


@dataclass(frozen=True)
class Column:
    name: str
    help: Any  # a lazy translated string
    type: str = TEXT
    field: str | None = ""  # the model field it sets ("" = same as name; None = none)
    required: bool = False
    link: Link | None = None
    example: str = ""

    @property
    def target(self) -> str | None:
        return self.name if self.field == "" else self.field


@dataclass(frozen=True)
class ChildSet:
    """A set of child records given in one cell ("funding:ORG-1; implementing:ORG-2"),
    replaced as a whole when the column is in the file (left alone when it is not).

    `parts` name the child's fields in the order they are written, separated by ":";
    the last part takes whatever remains (a locality may hold a colon)."""

    column: Column
    model: str  # "app_label.Model"
    parent_field: str
    parts: tuple[Column, ...]
    # Rules the child's edit form adds: check(values) -> [reason]
    check: Callable[[dict[str, Any]], list[Any]] | None = None

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)


@dataclass
class ImportKind:
    slug: str
    model: str  # "app_label.Model"
    label: Any
    columns: tuple[Column, ...]
    # For records with an owner: upsert by external_id within the importing workspace.
    # For child records: the columns that identify the child within its parent.
    key: tuple[str, ...] = ("external_id",)
    parent: str = ""  # for child kinds: the column naming the parent record
    children: tuple[ChildSet, ...] = ()
    # Rules the model's edit form adds beyond the model's own validation:
    # check(values, instance) -> [(column, reason)]
    check: Callable[[dict[str, Any], Any], list[tuple[str, Any]]] | None = None
    list_url_name: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    @property
    def owned(self) -> bool:
        return not self.parent

    def column(self, name: str) -> Column | None:
        for column in (*self.columns, *(c.column for c in self.children)):
            if column.name == name:
                return column
        return None

    @property
    def all_columns(self) -> tuple[Column, ...]:
        return (*self.columns, *(c.column for c in self.children))


# The import kinds store of the registry (core.registry), by slug; filled by each
# app's imports.py.
REGISTRY: dict[str, ImportKind] = registry["import_kinds"]


def register(kind: ImportKind) -> ImportKind:
    REGISTRY[kind.slug] = kind
    return kind


def _discover() -> None:
    if not REGISTRY:
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("imports")


def kinds() -> list[ImportKind]:
    _discover()
    return list(REGISTRY.values())


def get_kind(slug: str) -> ImportKind | None:
    _discover()
    return REGISTRY.get(slug)


ORGANIZATION = Link(
    "partners.Organization", ("external_id", "name_fr", "name_en", "acronym_fr", "acronym_en")
)
PERSON = Link("partners.Person", ("external_id", "full_name"))
ACTIVITY = Link("activities.Activity", ("external_id", "title"))
COUNTRY = Link("geo.Country", ("alpha2", "alpha3", "name_fr", "name_en"))
SUBDIVISION = Link("geo.Subdivision", ("code",))
MARKING = Link("core.Marking", ("code",))
WORKSPACE = Link("core.Workspace", ("slug", "name"))


def release_columns() -> tuple[Column, ...]:
    """The columns every kind of record with an owner shares: marking and release."""
    return (
        Column(
            "release",
            _("private, named or open (empty: private for a new record, unchanged otherwise)."),
            type=CHOICE,
            example="private",
        ),
        Column(
            "released_to",
            _(
                "Slugs of the workspaces the record is released to (release named), "
                "separated by ';'."
            ),
            type=LINKS,
            link=WORKSPACE,
        ),
        Column(
            "marking",
            _("Code of the protective marking (empty: none)."),
            type=LINK,
            link=MARKING,
        ),
    )


EXTERNAL_ID = Column(
    "external_id",
    _(
        "Your identifier of the record (required): importing a row with the same identifier "
        "again updates the record instead of creating a second one."
    ),
    required=True,
    example="ID-001",
)
