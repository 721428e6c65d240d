"""Organisation spans trimmed to their names (pipeline/tidy.py), one error class a test,
with short sentences written for the test."""

# ruff: noqa: RUF001

from __future__ import annotations

import pytest

from liaison.intake.pipeline.entities import SPACY, Mention
from liaison.intake.pipeline.tidy import tidy_organization


def _tidy(text: str, span: str, language: str = "en") -> str | None:
    start = text.index(span)
    found = tidy_organization(text, Mention("ORG", start, start + len(span), span, SPACY), language)
    return None if found is None else found.text


@pytest.mark.parametrize(
    ("text", "span", "name"),
    [
        # The sentence after the name.
        (
            "The Embassy of Japan handed over trucks.",
            "Embassy of Japan handed over",
            "Embassy of Japan",
        ),
        (
            "U.S. Africa Command on August 3 said",
            "U.S. Africa Command on August",
            "U.S. Africa Command",
        ),
        # The sentence before it.
        ("fighters loyal to the ISIS were", "to the ISIS", "ISIS"),
        # A line break ends a name.
        ("Public Affairs\n\nTHIES, Senegal", "Public Affairs\n\nTHIES", "Public Affairs"),
        # A possessive, a rank of the next name.
        ("the UK’s support", "UK’s", None),
        ("Army Brig. Gen. Smith", "Army Brig", None),
        # A unit's number is part of its name.
        ("troops of 49 Engineer Regiment trained", "Engineer Regiment", "49 Engineer Regiment"),
        ("the G5 Sahel Joint Force", "Sahel Joint Force", "G5 Sahel Joint Force"),
        # Arabic articles inside English names.
        (
            "Jama'at Nusrat al-Islam wal-Muslimin attacked",
            "Jama'at Nusrat al-Islam wal-Muslimin",
            "Jama'at Nusrat al-Islam wal-Muslimin",
        ),
    ],
)
def test_a_span_is_trimmed_to_the_name(text: str, span: str, name: str | None) -> None:
    assert _tidy(text, span) == name


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("training in Africa", "Africa"),
        ("partners in Europe and North America", "Europe"),
        ("Italian and Belgian officers", "Italian and Belgian"),
        ("the Armed Forces of the country", "Armed Forces"),
        ("the Nigerien Defense Minister said", "Nigerien Defense Minister"),
        ("rifles (AK47) were", "AK47"),
        ("Improvised Explosive Devices", "Improvised Explosive Devices"),
        ("Aviation Training Exercises", "Aviation Training Exercises"),
        ("a centre in Tillia", "centre in Tillia"),
        ("thanked Mr. Court", "Mr. Court"),
        ("Photo Credit", "Credit"),
    ],
)
def test_what_names_no_organisation_is_dropped(text: str, span: str) -> None:
    assert _tidy(text, span) is None


def test_french_names_keep_their_lowercase_words() -> None:
    text = "les forces armées maliennes et l'école de maintien de la paix de Bamako"
    assert _tidy(text, "forces armées maliennes", "fr") == "forces armées maliennes"
    assert _tidy(text, "école de maintien de la paix de Bamako", "fr") == (
        "école de maintien de la paix de Bamako"
    )
    # A national institution is a name in French, though made of common words.
    assert _tidy("la garde nationale", "garde nationale", "fr") == "garde nationale"
