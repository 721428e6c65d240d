"""Lists and filters in the order a reader expects (issue 21): names sort accents and
case aside in the reader's language, falling back to the other language; countries by
name, not ISO code; yes/no filters without "Unknown"; date ranges labelled."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from liaison.core.choices import Role
from liaison.core.text import fold
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def member() -> Any:
    user = factories.user()
    factories.membership(user=user, workspace=factories.owner_workspace(), role=Role.VIEWER)
    return user


def _client(user: Any, language: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


@pytest.fixture
def organizations() -> None:
    factories.organization(name_fr="Zouaves", name_en="Zouaves")
    factories.organization(name_fr="École de maintien de la paix", name_en="Peacekeeping school")
    factories.organization(name_fr="état-major", name_en="General staff")
    factories.organization(name_fr="", name_en="Académie militaire")  # no French name
    factories.organization(name_fr="Bataillon", name_en="")  # no English name


def _names(client: Client, sort: str) -> list[str]:
    page = client.get(f"/organizations/?sort={sort}")
    assert page.status_code == 200
    return [record.name for record in page.context["table"].data]


def test_french_names_sort_accents_aside_with_english_fallback(
    member: Any, organizations: None
) -> None:
    client = _client(member, "fr")
    assert _names(client, "name") == [
        "Académie militaire",
        "Bataillon",
        "École de maintien de la paix",
        "état-major",
        "Zouaves",
    ]
    assert _names(client, "-name") == [
        "Zouaves",
        "état-major",
        "École de maintien de la paix",
        "Bataillon",
        "Académie militaire",
    ]


def test_english_names_sort_by_the_english_name_with_french_fallback(
    member: Any, organizations: None
) -> None:
    client = _client(member, "en")
    assert _names(client, "name") == [
        "Académie militaire",
        "Bataillon",
        "General staff",
        "Peacekeeping school",
        "Zouaves",
    ]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_country_choices_sort_by_name_in_the_readers_language(member: Any, language: str) -> None:
    page = _client(member, language).get("/schools/")
    field = page.context["filter"].form.fields["country"]
    labels = [str(label) for value, label in field.choices if value]
    assert len(labels) > 200
    assert labels == sorted(labels, key=fold)
    first = {"fr": "Afghanistan", "en": "Afghanistan"}[language]
    assert labels[0] == first
    # Not by ISO code: Andorra (AD) comes after the A's before it.
    andorra = "Andorre" if language == "fr" else "Andorra"
    assert labels.index(andorra) > 2
    if language == "fr":
        # É with the E's: Égypte before Érythrée before Espagne before Estonie.
        assert labels.index("Égypte") < labels.index("Espagne") < labels.index("Fidji")


@pytest.mark.parametrize(
    ("language", "any_label", "unknown"),
    [("fr", "Indifférent", "Inconnu"), ("en", "Any", "Unknown")],
)
def test_yes_no_filters_offer_any_not_unknown(
    member: Any, language: str, any_label: str, unknown: str
) -> None:
    html = _client(member, language).get("/schools/").content.decode()
    select = re.search(r'<select name="is_regional".*?</select>', html, re.S)
    assert select is not None
    assert any_label in select.group(0)
    assert unknown not in select.group(0)
    # The filter still works: yes, no and any.
    factories.school(is_regional=True)
    factories.school(is_regional=False)
    client = _client(member, language)
    count = lambda query: client.get(f"/schools/?{query}").context["table"].paginator.count  # noqa: E731
    assert count("is_regional=true") == 1
    assert count("is_regional=false") == 1
    assert count("is_regional=unknown") == 2


@pytest.mark.parametrize(("language", "start", "stop"), [("fr", "du", "au"), ("en", "from", "to")])
def test_date_ranges_are_labelled(member: Any, language: str, start: str, stop: str) -> None:
    html = _client(member, language).get("/sessions/?dates_after=2025-01-01").content.decode()
    assert f'<label for="id_dates_0" class="date-bound-label">{start}</label>' in html
    assert f'<label for="id_dates_1" class="date-bound-label">{stop}</label>' in html
    after = re.search(r"<input[^>]*name=\"dates_after\"[^>]*>", html)
    assert after is not None
    assert 'type="date"' in after.group(0)
    assert 'value="2025-01-01"' in after.group(0)
