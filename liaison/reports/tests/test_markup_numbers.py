"""Numbers written into markup (SVG geometry, attributes, styles) never follow the
locale: French writes 16,705 in text, but x="16,705%" draws nothing."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client

from liaison.core.choices import Role
from tests import factories

pytestmark = pytest.mark.django_db

# Attributes that hold numbers (or lists of numbers) for the browser to read.
NUMERIC = {
    "x", "y", "x1", "x2", "y1", "y2", "dx", "dy", "cx", "cy", "r", "rx", "ry",
    "width", "height", "d", "points", "transform", "viewbox", "value", "min", "max",
    "style", "stroke-width", "font-size", "opacity", "offset",
}  # fmt: skip
DECIMAL_COMMA = re.compile(r"\d,\d")
# Where a comma separates coordinates ("M7,642L8,640"): written by Python, not templates.
LISTS = {"d", "points", "transform", "viewbox"}


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.bad: list[str] = []
        self.numeric: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.lower() in NUMERIC and value:
                if tag in ("input", "option") and name == "value":
                    continue  # what a user typed or chose, not geometry
                self.numeric.append(f"{tag} {name}={value}")
                if name.lower() not in LISTS and DECIMAL_COMMA.search(value):
                    self.bad.append(f"<{tag} {name}={value!r}>")


def attributes(html: str) -> _Attributes:
    parser = _Attributes()
    parser.feed(html)
    return parser


@pytest.fixture
def french(db: None) -> Client:
    user: Any = factories.user()
    factories.membership(user=user, workspace=factories.owner_workspace(), role=Role.EDITOR)
    factories.preference(user=user, language="fr")
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(user)
    return client


@pytest.fixture
def records(db: None) -> None:
    # Dates whose positions on a 2020-2026 axis are not whole numbers.
    factories.activity(title="Appui", planned_start=dt.date(2021, 3, 17),
                       planned_end=dt.date(2023, 7, 9), activity_type="training",
                       status="implementation")  # fmt: skip
    factories.activity(title="Équipement", planned_start=dt.date(2022, 5, 3),
                       planned_end=dt.date(2025, 11, 21), activity_type="equipment",
                       status="closed")  # fmt: skip
    factories.context_event(title_fr="Coup d'État", period="2020-08")


@pytest.mark.parametrize(
    "url",
    ["/timeline/", "/analysis/", "/analysis/training/", "/analysis/advisors/", "/map/",
     "/calendar/", "/"],
)  # fmt: skip
def test_numbers_in_markup_ignore_the_french_locale(
    french: Client, records: None, url: str
) -> None:
    page = french.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'lang="fr"' in html
    found = attributes(html)
    assert found.bad == []


def test_timeline_coordinates_are_decimal_points_in_french(french: Client, records: None) -> None:
    html = french.get("/timeline/").content.decode()
    found = attributes(html)
    lefts = [a for a in found.numeric if a.startswith("rect x=")]
    assert lefts, found.numeric
    assert any("." in a for a in lefts)  # fractional positions, written with a point
    for attribute in lefts:
        number = attribute.split("=", 1)[1].rstrip("%")
        assert 0 <= float(number) <= 100
