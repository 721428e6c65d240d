"""FollowTheMoney export (`liaison export ftm`) and its reverse (`liaison import_ftm`)."""

from __future__ import annotations

import datetime
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from followthemoney import model as ftm_model

from liaison.activities.models import Assignment
from liaison.core.choices import Role
from liaison.core.context import acting_as
from liaison.core.models import ExternalReference, Membership, Workspace
from liaison.demo.synth import synthesize
from liaison.partners import ftm
from liaison.partners.models import Organization, Person, Position
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english() -> Iterator[None]:
    """Messages are matched in English."""
    with translation.override("en"):
        yield


@pytest.fixture
def world() -> dict[str, Any]:
    mine = factories.workspace(slug="mcd", name="MCD Mali")
    theirs = factories.workspace(slug="osc", name="OSC Mali")
    editor = factories.user(username="editor")
    factories.membership(user=editor, workspace=mine, role=Role.EDITOR)
    mali = factories.country("ML")
    ministry = factories.organization(
        owner=mine,
        name_fr="Ministère de la Défense",
        name_en="Ministry of Defence",
        acronym_fr="MDAC",
        country=mali,
        kind="ministry",
    )
    justice = factories.organization(
        owner=mine,
        name_fr="Direction de la justice militaire",
        parent=ministry,
        aliases=["DJM"],
    )
    secret = factories.organization(owner=theirs, name_fr="Unité secrète")
    person = factories.person(
        owner=mine,
        full_name="Harouna Haïdara",
        given_names="Harouna",
        family_name="Haïdara",
        rank="colonel-major",
        gender="male",
        nationality=mali,
        birth_date=datetime.date(1970, 5, 4),
    )
    factories.position(
        owner=mine,
        person=person,
        organization=justice,
        title_fr="Directeur",
        title_en="Director",
        start_date=datetime.date(2020, 1, 1),
    )
    factories.position(owner=mine, person=person, organization=secret, title_fr="Conseiller")
    factories.assignment(
        owner=mine,
        person=person,
        organization=ministry,
        role="Conseiller juridique",
        start_date=datetime.date(2024, 1, 1),
    )
    factories.organization(owner=theirs, name_fr="Autre organisation privée")
    return {"editor": editor, "mine": mine, "person": person, "justice": justice}


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    return {
        "organizations": list(
            Organization.objects.order_by("pk").values_list(
                "pk", "name_fr", "name_en", "acronym_fr", "aliases", "country", "kind", "parent"
            )
        ),
        "persons": list(
            Person.objects.order_by("pk").values_list(
                "pk",
                "full_name",
                "given_names",
                "family_name",
                "rank",
                "gender",
                "nationality",
                "birth_date",
            )
        ),
        "positions": list(
            Position.objects.order_by("pk").values_list(
                "pk", "person", "organization", "title_fr", "title_en", "start_date", "is_current"
            )
        ),
        "assignments": list(
            Assignment.objects.order_by("pk").values_list(
                "pk", "person", "organization", "role", "start_date"
            )
        ),
    }


def export(user: Any) -> list[str]:
    return list(ftm.export_lines(user))


def test_the_export_holds_what_the_user_sees_as_ftm_entities(world: dict[str, Any]) -> None:
    lines = export(world["editor"])
    entities = [json.loads(line) for line in lines]
    schemata = sorted(e["schema"] for e in entities)
    assert schemata == [
        "Membership",
        "Occupancy",
        "Organization",
        "Organization",
        "Person",
        "Position",
    ]
    text = "\n".join(lines)
    assert "Unité secrète" not in text
    assert "Autre organisation privée" not in text
    person = next(e for e in entities if e["schema"] == "Person")
    assert person["properties"]["name"] == ["Harouna Haïdara"]
    assert person["properties"]["nationality"] == ["ml"]
    assert person["properties"]["title"] == ["colonel-major"]
    by_id = {e["id"]: e for e in entities}
    director = next(e for e in entities if e["properties"].get("name") == ["Directeur", "Director"])
    assert by_id[director["properties"]["organization"][0]]["properties"]["parent"]
    # The position in the hidden unit is not written half: neither it nor its occupancy.
    assert not [e for e in entities if e["properties"].get("name") == ["Conseiller"]]
    # Ids are kept: a second export gives the same ones.
    assert sorted(json.loads(line)["id"] for line in export(world["editor"])) == sorted(by_id)


def test_the_export_reads_back_into_the_same_entities(world: dict[str, Any]) -> None:
    lines = export(world["editor"])
    before = snapshot()
    # Someone changes the records; reading the export back restores them.
    with acting_as(world["editor"]):
        person = world["person"]
        person.full_name, person.rank = "H. Haidara", ""
        person.save()
        justice = world["justice"]
        justice.name_fr, justice.parent = "DJM", None
        justice.save()
        Position.objects.filter(title_fr="Directeur").update(title_en="Head")
    report = ftm.Importer(world["editor"], world["mine"]).run(lines)
    assert report.created == 0
    assert report.refused == []
    assert snapshot() == before
    # The same file again changes nothing.
    again = ftm.Importer(world["editor"], world["mine"]).run(lines)
    assert (again.created, again.updated) == (0, 0)
    assert snapshot() == before


def test_an_unknown_entity_creates_a_record_once(world: dict[str, Any]) -> None:
    lines = [
        json.dumps(
            {
                "id": "os-1",
                "schema": "PublicBody",
                "properties": {"name": ["Garde nationale"], "country": ["ml"]},
            }
        ),
        json.dumps({"id": "os-2", "schema": "Person", "properties": {"name": ["Awa Traoré"]}}),
        json.dumps(
            {
                "id": "os-3",
                "schema": "Membership",
                "properties": {
                    "member": ["os-2"],
                    "organization": ["os-1"],
                    "role": ["Instructrice"],
                },
            }
        ),
    ]
    first = ftm.Importer(world["editor"], world["mine"]).run(lines)
    assert first.created == 3
    guard = Organization.objects.get(name_fr="Garde nationale")
    assert guard.owner == world["mine"]
    assert Assignment.objects.get(role="Instructrice").person.full_name == "Awa Traoré"
    second = ftm.Importer(world["editor"], world["mine"]).run(lines)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 3)


def test_a_deleted_record_comes_back_as_a_new_one(world: dict[str, Any]) -> None:
    lines = export(world["editor"])
    with acting_as(world["editor"]):
        Assignment.objects.all().delete()
    report = ftm.Importer(world["editor"], world["mine"]).run(lines)
    assert report.created == 1
    assert Assignment.objects.get().role == "Conseiller juridique"


def test_a_bad_entity_imports_nothing_and_is_named(world: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "entities.ftm.json"
    path.write_text(
        "\n".join(
            [
                json.dumps({"id": "ok-1", "schema": "Person", "properties": {"name": ["Awa"]}}),
                json.dumps({"id": "bad-1", "schema": "Person", "properties": {}}),
            ]
        ),
        encoding="utf-8",
    )
    persons = Person.objects.count()
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command(
            "import_ftm",
            str(path),
            "--user",
            "editor",
            "--workspace",
            "mcd",
            stderr=err,
            stdout=io.StringIO(),
        )
    assert "line 2, entity bad-1" in err.getvalue()
    assert Person.objects.count() == persons


def test_the_commands_round_trip(world: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "out.ftm.json"
    call_command("export", "ftm", "--user", "editor", "--out", str(path), stderr=io.StringIO())
    before = snapshot()
    out = io.StringIO()
    call_command("import_ftm", str(path), "--user", "editor", "--workspace", "mcd", stdout=out)
    assert "0 created, 0 updated, 5 unchanged" in out.getvalue()
    assert snapshot() == before
    viewer = factories.user(username="viewer")
    factories.membership(user=viewer, workspace=world["mine"], role=Role.VIEWER)
    with pytest.raises(CommandError, match="may not"):
        call_command("import_ftm", str(path), "--user", "viewer", "--workspace", "mcd")


def strictly_loaded(lines: list[str]) -> list[Any]:
    """Every line as followthemoney reads it, without cleaning, with every property its
    schema requires."""
    proxies = []
    for line in lines:
        proxy = ftm_model.get_proxy(json.loads(line), cleaned=False)
        missing = [name for name in proxy.schema.required if not proxy.get(name)]
        assert missing == [], (proxy.schema.name, proxy.id, missing)
        proxies.append(proxy)
    return proxies


def test_an_entity_whose_required_link_is_hidden_is_left_out(world: dict[str, Any]) -> None:
    theirs = Workspace.objects.get(slug="osc")
    hidden_person = factories.person(owner=theirs, full_name="Personne cachée")
    hidden_org = Organization.objects.get(name_fr="Unité secrète")
    factories.position(
        owner=world["mine"], person=hidden_person, organization=hidden_org, title_fr="Adjoint"
    )
    factories.assignment(owner=world["mine"], person=hidden_person, organization=hidden_org)
    factories.assignment(
        owner=world["mine"], person=world["person"], organization=hidden_org, role="Instructeur"
    )
    left_out: list[str] = []
    lines = list(ftm.export_lines(world["editor"], left_out=left_out))
    strictly_loaded(lines)
    assert "Personne cachée" not in "\n".join(lines)
    # The hidden unit's posts ("Conseiller", "Adjoint") with their Occupancies, and the
    # two Memberships with a hidden end.
    assert len(left_out) == 6


@pytest.fixture
def synth_world() -> None:
    synthesize("small", 3, lambda line: None)


def test_the_synthetic_world_loads_strictly_and_round_trips(
    synth_world: None, tmp_path: Path
) -> None:
    path = tmp_path / "synth.ftm.json"
    err = io.StringIO()
    call_command("export", "ftm", "--user", "mcd-ml-synth-viewer", "--out", str(path), stderr=err)
    lines = path.read_text(encoding="utf-8").splitlines()
    proxies = strictly_loaded(lines)
    assert {"Organization", "Person", "Position", "Occupancy", "Membership"} <= {
        p.schema.name for p in proxies
    }
    summary = re.search(r"(\d+) entities written to .*; (\d+) left out", err.getvalue())
    assert summary
    assert int(summary[1]) == len(lines)
    assert int(summary[2]) > 0  # the synthetic world hides some holders and members
    # Another installation reads the file into a fresh workspace: its ids are unknown there.
    ExternalReference.objects.filter(scheme=ftm.SCHEME).delete()
    fresh = factories.workspace(slug="fresh", name="Fresh")
    factories.membership(user=factories.user(username="fresh-editor"), workspace=fresh)
    Membership.objects.filter(user__username="fresh-editor").update(role=Role.EDITOR)
    out = io.StringIO()
    call_command(
        "import_ftm", str(path), "--user", "fresh-editor", "--workspace", "fresh", stdout=out
    )
    created = int(re.search(r"(\d+) created", out.getvalue())[1])  # type: ignore[index]
    occupancies = sum(1 for p in proxies if p.schema.name == "Occupancy")
    # Every entity but the Occupancies (read with their Position) makes one record.
    assert created == len(proxies) - occupancies
    assert Person.objects.filter(owner=fresh).count() == sum(
        1 for p in proxies if p.schema.name == "Person"
    )
