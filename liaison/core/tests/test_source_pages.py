"""The source pages: list, document with its cited passages, metadata form."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from liaison.core.choices import Release, Role
from liaison.core.models import Source
from liaison.core.source_views import marked_paragraphs
from liaison.core.tests.pages import (
    assert_constant_queries,
    client_for,
    member,
    outsider,
    page_data,
)
from tests import factories

pytestmark = pytest.mark.django_db

TEXT = "Première ligne.\nLe colonel-major Harouna Haïdara dirige la DJM.\n\nFin."


@pytest.fixture
def client() -> Any:
    return client_for(member(Role.EDITOR))


def shown(response: Any) -> set[int]:
    return {row.record.pk for row in response.context["table"].rows}


def cite(source: Source, record: Any, quote: str, **fields: Any) -> Any:
    start = source.text.find(quote)
    defaults = {"start": start, "end": start + len(quote)} if start >= 0 else {}
    return factories.citation(source=source, record=record, quote=quote, **{**defaults, **fields})


def test_marked_paragraphs() -> None:
    start = TEXT.index("Harouna")
    paragraphs = marked_paragraphs(TEXT, [(start, start + len("Harouna Haïdara"), 1)])
    assert len(paragraphs) == 3
    assert [(s["text"], s["numbers"]) for s in paragraphs[1]] == [
        ("Le colonel-major ", []),
        ("Harouna Haïdara", [1]),
        (" dirige la DJM.", []),
    ]
    # A passage across lines is marked on both; overlapping passages are merged.
    across = marked_paragraphs("abc\ncd", [(1, 5, 1), (0, 2, 2)])
    assert [[(s["text"], s["numbers"]) for s in p] for p in across] == [
        [("abc", [2, 1])],
        [("c", [2, 1]), ("d", [])],
    ]


# --- list -----------------------------------------------------------------------------


def test_list_and_filters(client: Any) -> None:
    page = factories.source(
        kind="web_page", language="fr", publisher="Ministère des Armées", author="DCSD",
        published_on=datetime.date(2016, 5, 1),
    )  # fmt: skip
    article = factories.source(
        kind="press_article", language="en", publisher="AFRICOM",
        published_on=datetime.date(2025, 3, 14),
    )  # fmt: skip
    url = reverse("core:source_list")
    response = client.get(url)
    assert response.status_code == 200
    assert shown(response) == {page.pk, article.pk}
    assert shown(client.get(url, {"kind": "press_article"})) == {article.pk}
    assert shown(client.get(url, {"language": "fr"})) == {page.pk}
    assert shown(client.get(url, {"publisher": "armées"})) == {page.pk}
    assert shown(client.get(url, {"author": "dcsd"})) == {page.pk}
    assert shown(client.get(url, {"published_on_after": "2020-01-01"})) == {article.pk}
    assert shown(client.get(url, {"q": "africom"})) == {article.pk}


# --- detail ---------------------------------------------------------------------------


def test_page_shows_text_and_cited_passages(client: Any) -> None:
    source = factories.source(title="Coopération Mali", text=TEXT)
    person = factories.person(full_name="Harouna Haïdara")
    cite(source, person, "Harouna Haïdara", field="full_name")
    cite(source, factories.organization(name_fr="DJM"), "la DJM")
    cite(source, factories.organization(), "absent du texte")
    hidden = factories.organization(owner=factories.workspace(), name_fr="Unité cachée")
    cite(source, hidden, "Première ligne")
    response = client.get(source.get_absolute_url())
    assert response.status_code == 200
    text = response.text
    assert '<a id="passage-1"></a><mark>' in text
    assert "Harouna Haïdara" in text
    passages = response.context["passages"]
    assert [p["citation"].quote for p in passages] == [
        "Harouna Haïdara", "la DJM", "absent du texte",
    ]  # fmt: skip
    assert passages[0]["record"] == person
    assert not passages[2]["located"]
    assert "Unité cachée" not in text


def test_outsider_gets_404_on_a_private_source() -> None:
    source = factories.source()
    client = client_for(outsider())
    assert client.get(source.get_absolute_url()).status_code == 404
    assert client.get(reverse("core:source_edit", args=[source.pk])).status_code == 404
    assert len(client.get(reverse("core:source_list")).context["table"].rows) == 0
    source.release = Release.OPEN
    source.save()
    assert client.get(source.get_absolute_url()).status_code == 200


def test_viewer_gets_403_on_edit_pages() -> None:
    source = factories.source()
    client = client_for(member(Role.VIEWER))
    assert client.get(source.get_absolute_url()).status_code == 200
    assert client.get(reverse("core:source_edit", args=[source.pk])).status_code == 403
    assert client.get(reverse("core:source_add")).status_code == 403


# --- form -------------------------------------------------------------------------------


def test_add_a_source_with_a_file(client: Any) -> None:
    upload = SimpleUploadedFile("note.txt", b"Texte de la note.", content_type="text/plain")
    response = client.post(
        reverse("core:source_add"),
        {
            "title": "Note",
            "kind": "official",
            "language": "fr",
            "file": upload,
            "owner": factories.owner_workspace().pk,
            "release": "private",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    source = Source.objects.get(title="Note")
    assert source.file_name == "note.txt"
    assert len(source.sha256) == 64


def test_a_source_has_content(client: Any) -> None:
    response = client.post(
        reverse("core:source_add"),
        {
            "title": "Vide",
            "kind": "other",
            "language": "fr",
            "owner": factories.owner_workspace().pk,
            "release": "private",
        },
    )
    assert response.status_code == 400
    assert not Source.objects.filter(title="Vide").exists()


def test_edit_metadata_not_text(client: Any) -> None:
    source = factories.source(text=TEXT)
    url = reverse("core:source_edit", args=[source.pk])
    response = client.get(url)
    assert "text" not in response.context["form"].fields
    data = page_data(response)
    data.update(publisher="DCSD", published_on="2016-05-01", text="Autre texte")
    assert client.post(url, data).status_code == 302
    source.refresh_from_db()
    assert source.publisher == "DCSD"
    assert source.published_on == datetime.date(2016, 5, 1)
    assert source.text == TEXT


def test_stale_edit_is_refused_and_changes_nothing(client: Any) -> None:
    source = factories.source(notes="Avant")
    url = reverse("core:source_edit", args=[source.pk])
    data = page_data(client.get(url))
    source.notes = "Changé par un autre"
    source.save()
    data["notes"] = "Le mien"
    response = client.post(url, data)
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    source.refresh_from_db()
    assert source.notes == "Changé par un autre"


# --- query counts -------------------------------------------------------------------------


def test_list_queries_do_not_grow(client: Any) -> None:
    assert_constant_queries(
        client, reverse("core:source_list"), lambda n: [factories.source() for _ in range(n)]
    )


def test_detail_queries_do_not_grow(client: Any) -> None:
    source = factories.source(text=" ".join(f"Passage {i}." for i in range(40)))

    def add(n: int) -> None:
        start = len(source.citations.all())
        for i in range(start, start + n):
            record = [factories.person, factories.position, factories.enrollment][i % 3]()
            cite(source, record, f"Passage {i}.")

    assert_constant_queries(client, source.get_absolute_url(), add)
    assert ContentType.objects.count()
