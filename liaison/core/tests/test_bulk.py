"""The one bulk write path (core.bulk): records written in bulk leave what the same
records saved one by one leave (history row, audit link, search entry), whoever writes
them (imports, synthetic data), and the core modules depend on each other one way."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest

from liaison.core import audit, bulk
from liaison.core.context import Actor, acting_as
from liaison.core.models import AuditLink, SearchEntry
from liaison.partners.models import Organization
from tests import factories as f

LIAISON = Path(__file__).resolve().parents[2]

# What differs between two records of the same content, and between their history rows.
OWN = {"id", "created_at", "updated_at", "name_fr", "external_id"}
HISTORY = OWN | {"history_id", "history_date"}


def history_of(obj: Organization) -> dict[str, Any]:
    row = Organization.history.filter(id=obj.pk).values().get()
    return {key: value for key, value in row.items() if key not in HISTORY}


def entry_of(obj: Organization) -> str:
    return SearchEntry.objects.get(object_id=obj.pk, content_type__model="organization").text


@pytest.mark.django_db
def test_bulk_create_leaves_what_a_save_leaves() -> None:
    owner = f.owner_workspace()
    user = f.user()
    with acting_as(user, ip_address="10.0.0.7", channel="command", request_id="r-1"):
        saved = Organization.objects.create(owner=owner, name_fr="Unité Alpha", external_id="A")
        made = Organization(owner=owner, name_fr="Unité Bêta", external_id="B")
        written = bulk.create(Organization, [made])
    assert written == bulk.Written(records=1, history=1, entries=1)
    assert made.pk is not None
    assert made.created_by == made.updated_by == user
    assert made.version == saved.version
    # simple-history's save writes no reason as NULL, its bulk_history_create as "".
    assert {**history_of(made), "history_change_reason": None} == history_of(saved)
    assert history_of(made)["history_user_id"] == user.pk
    assert history_of(made)["channel"] == "command"
    assert history_of(made)["ip_address"] == "10.0.0.7"
    assert history_of(made)["request_id"] == "r-1"
    assert entry_of(saved) == "unite alpha"
    assert entry_of(made) == "unite beta"
    # One link per history row, in the one chain, whichever way the row was written.
    with acting_as(user):
        later = Organization.objects.create(owner=owner, name_fr="Unité Gamma")
        made.name_fr = "Unité Delta"
        bulk.update(Organization, [made], {"name_fr"})
    assert entry_of(made) == "unite delta"
    assert made.version == 2
    assert made.history.count() == 2
    checked, broken = audit.verify()
    assert broken is None
    assert checked == AuditLink.objects.count()
    assert AuditLink.objects.filter(history_type__model="historicalorganization").count() == 4
    assert later.pk


@pytest.mark.django_db
def test_bulk_create_names_each_records_author_when_nobody_acts() -> None:
    """Synthetic data: written by no one, each history row names its record's author."""
    owner = f.owner_workspace()
    editor, other = f.user(), f.user()
    objs = [
        Organization(owner=owner, name_fr="Un", created_by_id=editor.pk, updated_by_id=editor.pk),
        Organization(owner=owner, name_fr="Deux"),
    ]
    actor = Actor(None, request_id="synth-run", channel="command")
    authors = {"Un": editor.pk, "Deux": other.pk}
    bulk.create(Organization, objs, actor=actor, author=lambda o: authors[o.name_fr])
    rows = {
        row["name_fr"]: row
        for row in Organization.history.values(
            "name_fr", "history_user_id", "channel", "request_id", "created_by_id", "updated_by_id"
        )
    }
    assert rows["Un"] == {
        "name_fr": "Un",
        "history_user_id": editor.pk,
        "channel": "command",
        "request_id": "synth-run",
        "created_by_id": editor.pk,
        "updated_by_id": editor.pk,
    }
    assert rows["Deux"]["history_user_id"] == other.pk
    assert rows["Deux"]["created_by_id"] is None  # nobody acted: authorship left as given
    assert audit.verify()[1] is None


# --- one way through the core modules -------------------------------------------------


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at its top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_audit_and_search_import_neither_the_bulk_writer_nor_the_imports() -> None:
    bulk_imports = imported_modules(LIAISON / "core" / "bulk.py")
    assert {"liaison.core.audit", "liaison.core.search"} <= bulk_imports
    for name in ("audit.py", "search.py"):
        imported = imported_modules(LIAISON / "core" / name)
        leaks = {m for m in imported if m.startswith(("liaison.core.bulk", "liaison.core.imports"))}
        assert not leaks, (name, leaks)
    assert "liaison.core.search" not in imported_modules(LIAISON / "core" / "audit.py")
    assert "liaison.core.audit" not in imported_modules(LIAISON / "core" / "search.py")


def test_history_links_and_search_entries_are_written_in_one_place() -> None:
    """No module writes audit links, search entries or history rows in bulk by itself:
    links are made by core.audit, entries by core.search and core.bulk, bulk history
    rows only by core.bulk."""
    makers = {
        r"(?<!class )\bAuditLink\(": {"core/audit.py"},
        r"(?<!class )\bSearchEntry\(": {"core/search.py", "core/bulk.py"},
        r"bulk_history_create|\bhistory_model\(|history_model\._default_manager\.bulk_create": {
            "core/bulk.py"
        },
    }
    for pattern, allowed in makers.items():
        found = {
            str(path.relative_to(LIAISON))
            for path in LIAISON.rglob("*.py")
            if "tests" not in path.parts
            and "migrations" not in path.parts
            and re.search(pattern, path.read_text(encoding="utf-8"))
        }
        assert found <= allowed, (pattern, found - allowed)
