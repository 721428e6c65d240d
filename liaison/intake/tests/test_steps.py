"""Each pipeline step alone, on the issue's examples."""

# ruff: noqa: RUF001

from __future__ import annotations

import datetime

from liaison.core.text import fold_aligned, name_key
from liaison.intake.pipeline import clean, dates, language, rules


def test_fold_keeps_offsets() -> None:
    text = "Haïdara à l’École"
    assert len(fold_aligned(text)) == len(text)
    assert fold_aligned(text) == "haidara a l’ecole"
    assert name_key("Maïga,  Boubacar") == "maiga boubacar"


def test_boilerplate_lines_removed_and_last_modified_kept() -> None:
    text = (
        "Ad image\n\nUn titre\n\nService Com'\nLu il y a 5 minutes\n\n"
        "Le texte de l'article.\n\nDernière modification : 16/05/2016\n\nHaut de page\n"
        "Source link\n\nShare This Article\nLaisser un commentaire"
    )
    cleaned = clean.clean_text(text)
    assert cleaned.text == "Un titre\n\nLe texte de l'article."
    assert cleaned.metadata["last_modified"] == "2016-05-16"
    assert cleaned.metadata["byline"] == "Service Com'"


def test_reader_comments_dropped() -> None:
    text = "Titre\n\nUn paragraphe.\n\nUn autre.\n\n3 commentaires\nJean: bravo\nPaul: nul"
    assert "bravo" not in clean.clean_text(text).text


def test_language_per_paragraph() -> None:
    main, per, _ = language.paragraph_languages(
        "La coopération de défense française se veut réaliste et réactive au Mali.\n\n"
        "The United States delivered twelve patrol vehicles to the border units."
    )
    assert main in ("fr", "en")
    assert per == ["fr", "en"]
    assert language.detect("Die Bundeswehr bildet malische Soldaten in Koulikoro aus.") == "de"


def _one(text: str, published: datetime.date | None = None) -> tuple[str | None, str | None, list]:
    found = dates.find_dates(text, published)
    assert len(found) == 1, found
    return found[0].iso_start, found[0].iso_end, found[0].flags


def test_french_range() -> None:
    assert _one("du 19 au 21 février 2025") == ("2025-02-19", "2025-02-21", [])


def test_date_without_year_keeps_it_unknown() -> None:
    # The annotation contract: no year written, no year guessed (not even from the
    # publication date, wrong across a new year or for an event recalled).
    start, end, flags = _one("from 19 to 21 February", datetime.date(2025, 3, 1))
    assert (start, end) == (None, None)
    assert "year_missing" in flags
    assert _one("le 22 janvier", datetime.date(2025, 2, 15))[:2] == (None, None)


def test_relative_day_against_publication_date() -> None:
    assert _one("il y a trois semaines", datetime.date(2025, 3, 1))[:2] == (
        "2025-02-08",
        "2025-02-08",
    )


def test_year_not_borrowed_from_another_date() -> None:
    found = dates.find_dates("le 11 février 2025. Trois semaines plus tôt le 22 janvier")
    assert [d.iso_start for d in found] == ["2025-02-11", None]


def test_weekday_is_the_last_such_day_up_to_publication() -> None:
    wednesday = datetime.date(2022, 2, 9)
    assert _one("The course opened on Monday in Thiès.", wednesday)[:2] == (
        "2022-02-07",
        "2022-02-07",
    )
    assert _one("La cérémonie a eu lieu mercredi.", wednesday)[:2] == ("2022-02-09", "2022-02-09")
    # A written date wins; what is announced is not resolved to the past.
    assert _one("lundi 7 février 2022", wednesday)[:2] == ("2022-02-07", "2022-02-07")
    assert dates.find_dates("Les cours reprendront lundi prochain.", wednesday) == []


def test_two_years_joined_by_and_are_two_dates() -> None:
    found = dates.find_dates("les promotions de 2017 et 2019")
    assert [(d.iso_start, d.iso_end) for d in found] == [("2017", "2017"), ("2019", "2019")]
    assert _one("entre 2017 et 2019")[:2] == ("2017", "2019")


def test_impossible_range_kept_and_flagged() -> None:
    start, end, flags = _one("du 19 au 11 février 2025")
    assert (start, end) == ("2025-02-19", "2025-02-11")
    assert flags == ["impossible_range"]


def test_no_false_dates_from_words() -> None:
    assert dates.find_dates("Lu il y a des mois, le texte des 2000 soldats") == []


def test_ranks_and_titles_apart_from_names() -> None:
    hits: dict[str, rules.RuleHit] = {}
    for text in (
        "notamment le colonel-major Harouna Haïdara;",
        "et l’ambassade américaine Chargé d’Affaires Wallace Bain.",
        "Directeur de la justice militaire, le colonel Boubacar Maïga; et",
        "said Lieutenant Colonel Eric Lyon.",
    ):
        for h in rules.person_rules(text):
            hits.setdefault(h.text, h)  # the first rule that names a person is the fullest
    assert hits["Harouna Haïdara"].rank == "colonel-major"
    assert hits["Wallace Bain"].title == "Chargé d’Affaires"
    assert hits["Boubacar Maïga"].rank == "colonel"
    assert hits["Boubacar Maïga"].position == "Directeur de la justice militaire"
    assert hits["Eric Lyon"].rank == "Lieutenant Colonel"


def test_acronym_tied_to_long_form() -> None:
    text = "en partenariat avec le US Defence Institute of International Legal Studies (DIILS)"
    hits = rules.acronym_rules(text)
    assert [(h.text, h.acronym) for h in hits] == [
        ("Defence Institute of International Legal Studies", "DIILS"),
        ("DIILS", "DIILS"),
    ]


def test_year_guess_dates_activities_only() -> None:
    found = dates.find_dates("le 28 novembre", datetime.date(2024, 12, 2))
    assert found[0].iso_start is None
    guessed = dates.with_guessed_years(found)
    assert (guessed[0].iso_start, guessed[0].iso_end) == ("2024-11-28", "2024-11-28")
    # Published in January, a late-December date is the year before.
    found = dates.find_dates("du 28 au 30 décembre", datetime.date(2025, 1, 10))
    assert dates.with_guessed_years(found)[0].iso_start == "2024-12-28"
