"""Proposal cards name values as the reviewer knows them (issue 21, words): a type by its
label, a country by its name, in the reader's language."""

from __future__ import annotations

import pytest
from django.utils import translation

from liaison.intake.forms import shown_fields
from tests import factories

pytestmark = pytest.mark.django_db


def test_cards_show_labels_and_country_names_not_codes() -> None:
    factories.country("FR")
    event = factories.proposal(kind="event", fields={"title": "Stage", "type": "agreement"})
    place = factories.proposal(kind="place", fields={"name": "Paris", "country": "fr"})
    with translation.override("fr"):
        event_rows = {name: str(value) for _label, name, value in shown_fields(event)}
        place_rows = {name: str(value) for _label, name, value in shown_fields(place)}
    assert event_rows["type"] == "Convention"
    assert place_rows["country"] == "France"
    with translation.override("en"):
        assert {n: str(v) for _l, n, v in shown_fields(event)}["type"] == "Agreement"
    # A code that names no country stays as read.
    unknown = factories.proposal(kind="place", fields={"name": "X", "country": "zz"})
    assert {n: v for _l, n, v in shown_fields(unknown)}["country"] == "zz"
