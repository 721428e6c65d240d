"""Importing lists, screening persons and organisations, and remembering adjudications."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest

from liaison.vetting.models import ScreeningEntry, ScreeningHit, ScreeningImport, ScreeningList
from liaison.vetting.screening import service
from liaison.vetting.screening.formats import ListFormatError
from liaison.vetting.screening.importer import import_list
from tests import factories

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
FTM = DATA / "ofac_sdn_mali_subset_20240503.ftm.jsonl"
CSV = DATA / "ofac_sdn_mali_subset_20240503.csv"


def entries_state() -> list[tuple[Any, ...]]:
    return list(
        ScreeningEntry.objects.order_by("pk").values_list(
            "pk", "entity_id", "checksum", "first_seen", "last_changed", "removed_at"
        )
    )


def edited_copy(tmp_path: Path, change: Any) -> Path:
    """The FtM file with `change(entity)` applied to each entity; None drops it."""
    lines = []
    for line in FTM.read_text().splitlines():
        entity = change(json.loads(line))
        if entity is not None:
            lines.append(json.dumps(entity))
    path = tmp_path / "edited.ftm.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_import_twice_changes_nothing() -> None:
    first = import_list(FTM, "ofac-mali", "ftm")
    assert (first["new"], first["changed"], first["removed"]) == (21, 0, 0)
    before = entries_state()
    second = import_list(FTM, "ofac-mali", "ftm")
    assert (second["new"], second["changed"], second["removed"], second["unchanged"]) == (
        0,
        0,
        0,
        21,
    )
    assert entries_state() == before
    screening_list = ScreeningList.objects.get(name="ofac-mali")
    assert screening_list.last_import_summary["unchanged"] == 21
    assert ScreeningImport.objects.filter(screening_list=screening_list).count() == 2


def test_sanctions_are_attached_to_their_entity() -> None:
    import_list(FTM, "ofac-mali", "ftm")
    camara = ScreeningEntry.objects.get(caption="CAMARA, Sadio")
    assert camara.properties["program"] == ["RUSSIA-EO14024"]
    assert not ScreeningEntry.objects.filter(schema="Sanction").exists()


def test_ofac_csv_import_reads_remarks() -> None:
    summary = import_list(CSV, "sdn", "ofac-csv")
    assert summary["new"] == 21
    ghali = ScreeningEntry.objects.get(entity_id="ofac-15832")
    assert ghali.properties["birthDate"] == ["1954"]
    assert ghali.properties["nationality"] == ["ml"]
    moussa = ScreeningEntry.objects.get(entity_id="ofac-26990")
    assert moussa.properties["birthDate"] == ["1958-01-01", "1952-12-31", "1956-10-28", "1958"]
    mahri = ScreeningEntry.objects.get(entity_id="ofac-27153")
    assert "Mohamed Rougie" in mahri.properties["alias"]


def test_new_changed_and_gone_are_recorded(tmp_path: Path) -> None:
    import_list(FTM, "ofac-mali", "ftm")
    camara = ScreeningEntry.objects.get(caption="CAMARA, Sadio")

    def change(entity: dict[str, Any]) -> dict[str, Any] | None:
        if entity["properties"].get("name") == ["KHAN, Mali"]:
            return None
        if entity["id"] == camara.entity_id:
            entity["properties"]["alias"].append("Sadio KAMARA")
        return entity

    summary = import_list(edited_copy(tmp_path, change), "ofac-mali", "ftm")
    assert (summary["new"], summary["changed"], summary["removed"]) == (0, 1, 1)
    camara.refresh_from_db()
    assert "Sadio KAMARA" in camara.properties["alias"]
    assert camara.last_changed > camara.first_seen
    assert ScreeningEntry.objects.get(caption="KHAN, Mali").removed_at is not None
    # back again: the entry comes back as changed, not as a second row
    again = import_list(FTM, "ofac-mali", "ftm")
    assert (again["new"], again["changed"], again["removed"]) == (0, 2, 0)
    assert ScreeningEntry.objects.get(caption="KHAN, Mali").removed_at is None


def test_a_bad_line_imports_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    lines = FTM.read_text().splitlines()
    bad.write_text("\n".join([*lines[:5], "{not json", *lines[5:]]) + "\n")
    with pytest.raises(ListFormatError, match=r"(line|ligne) 6"):
        import_list(bad, "ofac-mali", "ftm")
    assert not ScreeningEntry.objects.exists()
    assert not ScreeningList.objects.exists()


# --- screening subjects -------------------------------------------------------------


@pytest.fixture
def listed() -> None:
    import_list(FTM, "ofac-mali", "ftm")


def hits_for(person: Any) -> list[ScreeningHit]:
    return list(ScreeningHit.objects.filter(person=person).order_by("pk"))


def test_an_edit_screens_the_person(listed: None, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        person = factories.person(full_name="Jean Dupont")
    assert hits_for(person) == []
    with django_capture_on_commit_callbacks(execute=True):
        person.full_name = "Sadio Camara"
        person.rank = "Général de brigade"
        person.save()
    (hit,) = hits_for(person)
    assert hit.entry.caption == "CAMARA, Sadio"
    assert hit.status == ScreeningHit.Status.OPEN
    assert hit.explanation
    assert hit.fingerprint
    # a field that is not screened does not start a screening
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        person.description = "Ministre de la Défense"
        person.save()
    assert callbacks == []
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        person.birth_date = datetime.date(1979, 3, 22)
        person.save()
    assert len(callbacks) == 1


def test_an_alias_added_in_place_screens_the_person(
    listed: None, django_capture_on_commit_callbacks: Any
) -> None:
    person = factories.person(full_name="Jean Dupont")
    person.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        person.save()
    assert callbacks == []
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        person.aliases.append("Sadio Camara")  # the same list, changed in place
        person.save()
    assert len(callbacks) == 1


def test_organisations_are_screened(listed: None) -> None:
    org = factories.organization(name_fr="Groupe Wagner", name_en="Private Military Company Wagner")
    service.screen(organizations=[org])
    assert ScreeningHit.objects.filter(organization=org).count() == 1


def test_import_screens_everyone() -> None:
    person = factories.person(full_name="Mahamadou Lahbous")
    factories.person(full_name="Awa Traoré")
    from liaison.core.tasks import start
    from liaison.vetting.screening.tasks import screen_everyone_task

    import_list(FTM, "ofac-mali", "ftm")
    run = start(screen_everyone_task, kind="screening")
    assert run.result["raised"] == 1
    (hit,) = hits_for(person)
    assert "LAHBOUS" in hit.entry.caption


def test_adjudicated_false_positive_does_not_come_back(listed: None, tmp_path: Path) -> None:
    user = factories.user()
    person = factories.person(full_name="Adama Bagayoko", birth_date=datetime.date(1979, 9, 14))
    service.screen([person])
    (hit,) = hits_for(person)
    service.adjudicate(hit, ScreeningHit.Status.FALSE_POSITIVE, "Another Adama Bagayoko", user)
    # screening again, and importing the same list again: nothing new
    service.screen([person])
    import_list(FTM, "ofac-mali", "ftm")
    service.screen_everyone()
    assert [h.status for h in hits_for(person)] == [ScreeningHit.Status.FALSE_POSITIVE]
    # a field that is not screened changes nothing either
    person.description = "Chef d'état-major"
    person.save()
    service.screen([person])
    assert len(hits_for(person)) == 1


def test_a_changed_entry_raises_a_new_hit(listed: None, tmp_path: Path) -> None:
    user = factories.user()
    person = factories.person(full_name="Adama Bagayoko")
    service.screen([person])
    (hit,) = hits_for(person)
    service.adjudicate(hit, ScreeningHit.Status.FALSE_POSITIVE, "Not him", user)

    def change(entity: dict[str, Any]) -> dict[str, Any]:
        if entity["properties"].get("name") == ["BAGAYOKO, Adama"]:
            entity["properties"]["alias"].append("Adama BAGAYOKO dit Papa")
        return entity

    import_list(edited_copy(tmp_path, change), "ofac-mali", "ftm")
    service.screen_everyone()
    old, new = hits_for(person)
    assert old.pk == hit.pk
    assert old.status == ScreeningHit.Status.FALSE_POSITIVE
    assert new.status == ScreeningHit.Status.OPEN
    assert new.fingerprint != old.fingerprint


def test_a_change_of_the_subject_raises_it_again(listed: None) -> None:
    person = factories.person(full_name="Adama Bagayoko")
    service.screen([person])
    (hit,) = hits_for(person)
    service.adjudicate(hit, ScreeningHit.Status.FALSE_POSITIVE, "Not him", factories.user())
    person.birth_date = datetime.date(1979, 9, 14)
    person.save()
    service.screen([person])
    assert [h.status for h in hits_for(person)] == ["false_positive", "open"]


def test_an_open_hit_that_no_longer_matches_is_withdrawn(listed: None) -> None:
    person = factories.person(full_name="Sadio Camara")
    service.screen([person])
    assert len(hits_for(person)) == 1
    person.full_name = "Sadio Coulibaly"
    person.save()
    totals = service.screen([person])
    assert totals["withdrawn"] == 1
    assert hits_for(person) == []


def test_open_hit_is_updated_not_duplicated(listed: None) -> None:
    person = factories.person(full_name="Sadio Camara")
    service.screen([person])
    person.nationality = factories.country("ML")
    person.save()
    service.screen([person])
    (hit,) = hits_for(person)
    assert any(p["code"] == "country_same" for p in hit.explanation_parts)


def test_records_saved_together_are_screened_in_one_task(
    listed: None, django_capture_on_commit_callbacks: Any
) -> None:
    from liaison.core.models import TaskRun

    before = TaskRun.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        a = factories.person(full_name="Sadio Camara")
        b = factories.person(full_name="Adama Bagayoko")
        factories.organization(name_fr="Groupe Wagner", name_en="Private Military Company Wagner")
    assert TaskRun.objects.count() == before + 1
    assert TaskRun.objects.latest("pk").result["raised"] == 3
    assert len(hits_for(a)) == 1
    assert len(hits_for(b)) == 1
