"""The shared web layer, through the partners pages: lists, exports, search, pickers,
concurrent edits, saved filters and the language kept per user."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from liaison.core.choices import Role
from liaison.core.models import Membership, Preference, SavedFilter
from liaison.partners.models import Organization, Person
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def member() -> Any:
    user = factories.user(username="officer")
    Membership.objects.create(user=user, workspace=factories.owner_workspace(), role=Role.EDITOR)
    return user


@pytest.fixture
def client_in(member: Any) -> Client:
    client = Client()
    client.force_login(member)
    return client


def test_list_filters_and_exports_exactly_what_is_listed(client_in: Client) -> None:
    for n in range(60):
        factories.organization(name_fr=f"Unité {n:02d}", kind="unit" if n < 55 else "ministry")
    page = client_in.get("/organizations/", {"kind": "unit"})
    assert page.status_code == 200
    assert page.context["table"].paginator.count == 55
    exported = client_in.get("/organizations/", {"kind": "unit", "export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 1 + 55  # header + every matching row, not only the first page
    assert all("Unité" in row[0] for row in rows[1:])
    book = client_in.get("/organizations/", {"kind": "unit", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(book.content)).active
    assert sheet.max_row == 1 + 55


def test_sort_and_choose_columns(client_in: Client) -> None:
    factories.organization(name_fr="Bravo")
    factories.organization(name_fr="Alpha")
    page = client_in.get("/organizations/", {"sort": "-name", "columns": ["name", "kind"]})
    names = [row.record.name for row in page.context["table"].paginated_rows]
    assert names == sorted(names, reverse=True)
    # The row checkboxes of the bulk actions come first (the user may edit).
    assert [c.name for c in page.context["table"].columns] == ["select", "name", "kind"]


def test_htmx_filtering_returns_only_the_results(client_in: Client) -> None:
    factories.organization(name_fr="Garde nationale")
    partial = client_in.get(
        "/organizations/", {"q": "garde"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results"
    )
    body = partial.content.decode()
    assert "Garde nationale" in body
    assert "<html" not in body


def test_search_ignores_accents_case_and_finds_aliases(client_in: Client) -> None:
    haidara = factories.person(full_name="Harouna Haïdara", rank="colonel-major")
    brigade = factories.organization(
        name_fr="Brigade en attente de la CEDEAO", acronym_fr="CEDEAO", aliases=["ECOWAS"]
    )
    for query, expected in (("haidara", haidara), ("HAÏDARA", haidara), ("cedeao", brigade),
                            ("ecowas", brigade)):  # fmt: skip
        groups = client_in.get("/search/", {"q": query}).context["groups"]
        found = {obj for group in groups for obj in group.results}
        assert expected in found, query


def test_search_and_pickers_hide_what_is_not_released(client_in: Client) -> None:
    other = factories.workspace()
    factories.organization(owner=other, name_fr="Unité secrète")
    assert client_in.get("/search/", {"q": "secrete"}).context["groups"] == []
    picked = client_in.get("/autocomplete/partners/organization/", {"q": "secrete"}).json()
    assert picked == {"results": []}
    listing = client_in.get("/organizations/", {"q": "secrete"})
    assert listing.context["table"].paginator.count == 0


def test_a_stale_form_is_refused_and_nothing_is_overwritten(client_in: Client) -> None:
    org = factories.organization(name_fr="Avant")
    form = client_in.get(f"/organizations/{org.pk}/edit/").context["form"]
    stale_version = form.initial["version"]
    Organization.objects.filter(pk=org.pk)  # someone else saves meanwhile:
    org.name_fr = "Changé ailleurs"
    org.save()
    data = {
        "name_fr": "Mon changement", "kind": "unit", "owner": org.owner_id,
        "release": "private", "version": stale_version, "aliases": "[]",
    }  # fmt: skip
    response = client_in.post(f"/organizations/{org.pk}/edit/", data)
    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode() or "Rien" in response.content.decode()
    org.refresh_from_db()
    assert org.name_fr == "Changé ailleurs"


def test_language_choice_is_kept_for_the_user(member: Any) -> None:
    client = Client()
    client.force_login(member)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert Preference.objects.get(user=member).language == "en"
    other_device = Client(HTTP_ACCEPT_LANGUAGE="fr")
    other_device.force_login(member)
    page = other_device.get("/organizations/")
    assert '<html lang="en">' in page.content.decode()
    other_device.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert '<html lang="fr">' in other_device.get("/organizations/").content.decode()


def test_saved_filters(client_in: Client, member: Any) -> None:
    client_in.post(
        "/saved-filters/", {"path": "/organizations/", "name": "Unités", "query": "kind=unit"}
    )
    saved = SavedFilter.objects.get(user=member)
    assert saved.url == "/organizations/?kind=unit"
    page = client_in.get("/organizations/")
    assert "Unités" in page.content.decode()
    client_in.post("/saved-filters/", {"path": "/organizations/", "delete": saved.pk})
    assert not SavedFilter.objects.exists()


@pytest.mark.parametrize("url", ["/organizations/", "/persons/", "/positions/"])
def test_list_queries_do_not_grow_with_rows(client_in: Client, url: str) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client_in.get(url).status_code == 200
        return len(queries)

    factories.position()
    few = count()
    for _ in range(25):
        factories.position(person=factories.person(nationality=factories.country("ML")))
    assert count() == few


def test_detail_queries_do_not_grow_with_relations(client_in: Client) -> None:
    org = factories.organization()
    person = factories.person()

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client_in.get(url).status_code == 200
        return len(queries)

    factories.position(organization=org, person=person)
    few_org, few_person = count(f"/organizations/{org.pk}/"), count(f"/persons/{person.pk}/")
    for n in range(20):
        factories.position(organization=org, person=person, title_fr=f"Poste {n}")
        factories.organization(parent=org)
    assert count(f"/organizations/{org.pk}/") == few_org
    assert count(f"/persons/{person.pk}/") == few_person
    assert Person.objects.count() >= 1
