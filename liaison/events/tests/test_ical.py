"""The calendar feed: one per workspace, behind each user's secret key."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from liaison.core.choices import Release, Role
from liaison.core.models import CalendarToken
from liaison.events.ical import token_for
from tests import factories

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 2, 10)


@pytest.fixture
def world() -> dict[str, Any]:
    mine = factories.workspace(slug="mcd", name="MCD Mali")
    theirs = factories.workspace(slug="osc", name="OSC Mali")
    fr = factories.user(username="fr")
    factories.membership(user=fr, workspace=mine, role=Role.VIEWER)
    us = factories.user(username="us")
    factories.membership(user=us, workspace=theirs, role=Role.VIEWER)
    hidden_venue = factories.organization(owner=theirs, name_fr="Camp secret")
    factories.event(
        owner=mine,
        title="Séminaire DIH",
        start_date=DAY,
        end_date=DAY + datetime.timedelta(2),
        locality="Bamako",
        venue=hidden_venue,
    )
    factories.event(owner=mine, title="Réunion privée", start_date=DAY)
    factories.event(owner=mine, title="Sans date", start_date=None)
    hidden_course = factories.course(owner=theirs, title_fr="Cours caché")
    factories.session(owner=mine, course=hidden_course, name="Promotion 1", start_date=DAY)
    factories.event(owner=theirs, title="Visite ouverte", start_date=DAY, release=Release.OPEN)
    return {"fr": fr, "us": us}


def feed(client: Client, workspace: str, key: str) -> Any:
    return client.get(reverse("events:calendar_feed", args=[workspace, key]))


def summaries(response: Any) -> list[str]:
    calendar = Calendar.from_ical(response.content)
    return sorted(str(c["summary"]) for c in calendar.walk("VEVENT"))


def test_the_feed_shows_what_its_user_sees(world: dict[str, Any], client: Client) -> None:
    key = token_for(world["fr"]).key
    response = feed(client, "mcd", key)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    # The session of a hidden course: its course is withheld, the session shown.
    session, *events = summaries(response)
    assert session.startswith("(")
    assert session.endswith(" Promotion 1")
    assert events == ["Réunion privée", "Séminaire DIH"]
    calendar = Calendar.from_ical(response.content)
    seminar = next(c for c in calendar.walk("VEVENT") if c["summary"] == "Séminaire DIH")
    assert seminar.decoded("dtstart") == DAY
    assert seminar.decoded("dtend") == DAY + datetime.timedelta(3)  # exclusive end
    assert str(seminar["location"]) == "Bamako"
    text = response.content.decode()
    assert "Camp secret" not in text
    assert "Cours caché" not in text
    # The other workspace's feed, for the same user: only what is open to all.
    assert summaries(feed(client, "osc", key)) == ["Visite ouverte"]


def test_another_user_sees_other_things(world: dict[str, Any], client: Client) -> None:
    key = token_for(world["us"]).key
    assert summaries(feed(client, "mcd", key)) == []
    assert summaries(feed(client, "osc", key)) == ["Visite ouverte"]


def test_a_wrong_or_replaced_key_answers_404(world: dict[str, Any], client: Client) -> None:
    key = token_for(world["fr"]).key
    assert feed(client, "mcd", "x" * 43).status_code == 404
    assert feed(client, "nowhere", key).status_code == 404
    client.force_login(world["fr"])
    page = client.get(reverse("profile"))
    assert key in page.content.decode()
    client.post(reverse("profile"), {"action": "calendar"})
    new_key = CalendarToken.objects.get(user=world["fr"]).key
    assert new_key != key
    client.logout()
    assert feed(client, "mcd", key).status_code == 404
    assert feed(client, "mcd", new_key).status_code == 200
    world["fr"].is_active = False
    world["fr"].save()
    assert feed(client, "mcd", new_key).status_code == 404
