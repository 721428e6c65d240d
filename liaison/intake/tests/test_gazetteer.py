"""The gazetteer holds only what the user may see, and the pipeline recognises and
resolves it (accents, case, aliases, acronyms, token order)."""

from __future__ import annotations

from typing import Any

import pytest

from liaison.core.tests.pages import member, outsider
from liaison.intake.gazetteer import Gazetteer, KnownName, gazetteer_for
from liaison.intake.pipeline import extract
from liaison.intake.pipeline.resolution import GazetteerIndex
from tests import factories


@pytest.mark.django_db
def test_gazetteer_holds_only_visible_records() -> None:
    mali = factories.country("ML")
    org = factories.organization(
        name_fr="Direction de la justice militaire",
        acronym_fr="DJM",
        aliases=["justice militaire malienne"],
        country=mali,
    )
    factories.person(full_name="Boubacar Maïga", rank="colonel")
    reader = member()
    gaz = gazetteer_for(reader)
    known = {k.name: k for k in gaz.organizations}
    assert known["Direction de la justice militaire"].pk == org.pk
    assert set(known["Direction de la justice militaire"].aliases) >= {
        "DJM",
        "justice militaire malienne",
    }
    assert [(p.name, p.extra["rank"]) for p in gaz.persons] == [("Boubacar Maïga", "colonel")]
    codes = {p.extra.get("code") for p in gaz.places}
    assert "ML-BKO" in codes  # the subdivisions of the countries of visible records
    # Another workspace's user sees none of these private records.
    stranger = gazetteer_for(outsider())
    assert stranger.organizations == []
    assert stranger.persons == []


def _gazetteer() -> Gazetteer:
    return Gazetteer(
        organizations=[
            KnownName(
                "partners.organization",
                7,
                "Defense Institute of International Legal Studies",
                ["DIILS", "Diils"],
            )
        ],
        persons=[KnownName("partners.person", 3, "Harouna Haïdara", [], {"rank": "colonel-major"})],
    )


def test_candidates_fold_accents_case_and_token_order() -> None:
    index = GazetteerIndex(_gazetteer())
    best = index.candidates("PER", "haidara harouna")[0]
    assert (best.model, best.pk, best.score) == ("partners.person", 3, 1.0)
    assert index.candidates("ORG", "diils")[0].pk == 7
    assert (
        index.candidates("ORG", "Defence Institute of International Legal Studies")[0].score > 0.9
    )
    assert index.candidates("PER", "Wallace Bain") == []


def test_known_names_found_in_text_and_resolved(spacy_model: Any) -> None:
    text = (
        "Le programme Diils a formé des officiers maliens le 3 mars 2025. "
        "HAIDARA Harouna a remercié les formateurs."
    )
    x = extract(text, filename="note.txt", gazetteer=_gazetteer())
    orgs = [o for o in x.organizations if o.candidates]
    assert orgs[0].candidates[0].pk == 7
    assert not any(o.name.lower() == "un" for o in x.organizations)
