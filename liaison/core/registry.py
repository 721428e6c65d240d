"""The one registry of Liaison: what the apps contribute to the whole, in named stores.

Core knows no domain app: each app registers its record kinds' search fields, import
kinds, name links, API endpoints, navigation entries, exporters, the sections it adds
to other apps' detail pages and its calendar feed, in its `search.py`, `imports.py` and
`AppConfig.ready()` (see CONTRIBUTING.md, "Adding a record kind"). Core reads them from
here. The stores are fixed when this module is loaded: a store cannot be added or
removed, only filled (the manner of NetBox's `netbox/registry.py`).

Stores:
- `search`: model -> `core.search.SearchIndex` (alias `core.search.REGISTRY`);
- `import_kinds`: slug -> `core.imports.spec.ImportKind` (alias `core.imports.spec.REGISTRY`);
- `name_links`: model label -> the links its name reads (alias `core.links.NAME_LINKS`);
- `api_endpoints`: (prefix, viewset, basename) under /api/ (alias `api_urls.ENDPOINTS`);
- `navigation`: the entries of the top bar (`NavItem`);
- `exporters`: name -> `Exporter`, the actions of `liaison export NAME`;
- `detail_sections`: model label -> `DetailSection`s added to that kind's detail page;
- `calendar_feeds`: name -> `CalendarFeed`, the secret feeds of the profile page;
- `model_checks`: model label -> checks another app adds to that kind's validation
  (the vetting gate on enrolments, participants, activities and participations), run by
  `TruthfulValidation.clean()` after the model's own base rules.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.db import models
    from django.http import HttpRequest


class Registry(dict[str, Any]):
    """Named stores, fixed once made: a store's content changes, the set of stores does
    not (a misspelt store name fails loudly instead of making a store nobody reads)."""

    def __getitem__(self, key: str) -> Any:
        try:
            return super().__getitem__(key)
        except KeyError:
            raise KeyError(f"No store {key!r} in the registry.") from None

    def __setitem__(self, key: str, value: Any) -> None:
        raise TypeError("The registry's stores are fixed: fill one, do not replace it.")

    def __delitem__(self, key: str) -> None:
        raise TypeError("The registry's stores are fixed: none can be removed.")


registry = Registry(
    {
        "search": {},
        "import_kinds": {},
        "name_links": {},
        "api_endpoints": [],
        "navigation": [],
        "exporters": {},
        "detail_sections": defaultdict(list),
        "calendar_feeds": {},
        "model_checks": defaultdict(list),
    }
)


# -- record kinds ---------------------------------------------------------------------


def record_models() -> list[type[models.Model]]:
    """Every concrete model that carries owner and release (OwnedModel)."""
    from django.apps import apps

    from liaison.core.models import OwnedModel

    return [
        m
        for m in apps.get_models()
        if issubclass(m, OwnedModel) and not m._meta.abstract and m.__module__.startswith("liaison")
    ]


def child_models() -> list[type[models.Model]]:
    """Every concrete model that follows its parent's release (ChildModel)."""
    from django.apps import apps

    from liaison.core.models import ChildModel

    return [m for m in apps.get_models() if issubclass(m, ChildModel) and not m._meta.abstract]


# -- name links and API endpoints -----------------------------------------------------


def register_name_links(label: str, links: tuple[str, ...]) -> None:
    """The links that the name (`__str__`) of the records of `label` ("app.model") reads."""
    registry["name_links"][label.lower()] = tuple(links)


def register_api_endpoint(prefix: str, viewset: Any, basename: str) -> None:
    """`/api/<prefix>/`, served by `viewset`, routes named `api:<basename>-...`."""
    endpoints: list[tuple[str, Any, str]] = registry["api_endpoints"]
    if any(p == prefix or b == basename for p, _v, b in endpoints):
        raise ValueError(f"The API endpoint {prefix!r} ({basename}) is registered twice.")
    endpoints.append((prefix, viewset, basename))


# -- navigation -----------------------------------------------------------------------


@dataclass(frozen=True)
class NavItem:
    """An entry of the top bar: the list of a kind of record (`model`, "app.Model",
    left out where that list has no page; named by its `label`, or else by the kind's
    plural name) or a page (`url_name` and its `label`), for the holders of `roles` only
    when given.
    `menu` is "main" (the bar) or "more" (under "More"); `weight` orders them."""

    menu: str
    weight: int
    model: str = ""
    url_name: str = ""
    label: Any = ""
    # Shown only to users holding one of these roles in some workspace (empty: everyone).
    roles: frozenset[str] = frozenset()


def register_nav(item: NavItem) -> None:
    if item.menu not in ("main", "more"):
        raise ValueError(f"Unknown menu {item.menu!r}: main or more.")
    registry["navigation"].append(item)


def navigation(menu: str) -> list[NavItem]:
    return sorted((i for i in registry["navigation"] if i.menu == menu), key=lambda i: i.weight)


# -- exporters (`liaison export NAME`) ------------------------------------------------


@dataclass(frozen=True)
class Exporter:
    """An action of `liaison export`: `help` for its sub-command, `add_arguments(parser)`
    for its own options beyond --user, --workspace and --out, and
    `handle(command, user, workspace, options)`, which writes through
    `command.write_out(data, out)`."""

    help: str
    handle: Callable[..., None]
    add_arguments: Callable[[Any], None] | None = None


def register_exporter(name: str, exporter: Exporter) -> None:
    registry["exporters"][name] = exporter


# -- sections of other apps' detail pages --------------------------------------------


@dataclass(frozen=True)
class DetailSection:
    """A related list on the detail page of another app's record: `build(request, obj)`
    returns a `core.generic.section(...)`, restricted to what the user sees. Sections
    follow the page's own, in the order the apps are installed."""

    build: Callable[[HttpRequest, Any], dict[str, Any]]


def register_detail_section(
    label: str, build: Callable[[HttpRequest, Any], dict[str, Any]]
) -> None:
    """Add a section to the detail page of the records of `label` ("app.Model")."""
    registry["detail_sections"][label.lower()].append(DetailSection(build))


def detail_sections(model: type[models.Model]) -> list[DetailSection]:
    return list(registry["detail_sections"].get(model._meta.label_lower, ()))


# -- calendar feeds -------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarFeed:
    """A secret feed per workspace offered on the profile page: `url_name` takes the
    workspace's slug and the user's key; `regenerate(user)` replaces the user's key."""

    url_name: str
    regenerate: Callable[[Any], Any]


def register_calendar_feed(name: str, feed: CalendarFeed) -> None:
    registry["calendar_feeds"][name] = feed


# -- checks other apps add to a kind's validation --------------------------------------


def register_model_check(label: str, check: Callable[[Any], None]) -> None:
    """Validate the records of `label` ("app.Model") with `check(instance)` too, which
    raises ValidationError: every channel (form, API, import, intake) runs it, as it
    runs the model's own clean()."""
    registry["model_checks"][label.lower()].append(check)


def model_checks(model: type[models.Model]) -> list[Callable[[Any], None]]:
    return list(registry["model_checks"].get(model._meta.label_lower, ()))
