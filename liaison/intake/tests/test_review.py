"""Documents in, proposals reviewed, records out: the service code, the pages and the
command, with the pipeline stood in for (conftest.fake_extract)."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import translation

from liaison.core.models import Citation, Membership, Source, TaskRun, Workspace
from liaison.events.models import Event
from liaison.intake import services
from liaison.intake.models import (
    DocumentStatus,
    IntakeDocument,
    Proposal,
    ProposalKind,
    ProposalStatus,
    Rejection,
)
from liaison.intake.tests.conftest import DIILS
from liaison.partners.models import Organization, Person, Position
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_pipeline")]

ARTICLE = DIILS.read_bytes()


@pytest.fixture(autouse=True)
def in_english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def mission() -> Workspace:
    return f.workspace(name="Bureau de coopération", slug="osc")


def member(workspace: Workspace, role: str = "editor", name: str = "") -> Any:
    user = f.user(username=name) if name else f.user()
    Membership.objects.create(user=user, workspace=workspace, role=role)  # type: ignore[misc]
    return user


@pytest.fixture
def editor(mission: Workspace) -> Any:
    return member(mission, "editor", "analyste")


def queue(user: Any, workspace: Workspace, *uploads: tuple[str, bytes]) -> services.Queued:
    return services.queue_documents(
        [services.Upload(name, content) for name, content in uploads],
        user=user,
        workspace=workspace,
    )


def read_article(user: Any, workspace: Workspace) -> IntakeDocument:
    queued = queue(user, workspace, ("article.txt", ARTICLE))
    document = queued.documents[0]
    document.refresh_from_db()
    return document


def proposal(document: IntakeDocument, kind: str) -> Proposal:
    return document.proposals.get(kind=kind)


# --- reading ---------------------------------------------------------------------------


def test_a_document_is_kept_read_in_the_background_and_proposes(editor: Any, mission: Any) -> None:
    queued = queue(editor, mission, ("article.txt", ARTICLE))
    assert queued.run is not None
    run = TaskRun.objects.get(pk=queued.run.pk)
    assert (run.status, run.done, run.total, run.kind) == ("done", 1, 1, "intake")
    document = IntakeDocument.objects.get()
    assert run.result["url"] == f"/intake/{document.pk}/"
    assert document.status == DocumentStatus.READY
    assert document.owner == mission
    assert document.created_by == editor
    # The original is kept as it came; the source's text is the cleaned text.
    source = document.source
    assert source is not None
    assert source.file_name == "article.txt"
    assert source.file.read() == ARTICLE
    # What the pipeline read of the page: its title, byline and last change.
    title = "La coopération de défense américaine-Mali entre dans un nouveau chapitre"
    assert document.title == title
    assert source.title == title
    assert source.author == "Service Com'"
    assert str(source.modified_on) == "2025-03-02"
    assert "Ad image" not in source.text
    assert source.text == document.extraction["text"]
    kinds = sorted(document.proposals.values_list("kind", flat=True))
    assert kinds == ["event", "organization", "person", "person", "place"]
    haidara = document.proposals.get(kind="person", label="Harouna Haïdara")
    assert source.text[haidara.start : haidara.end] == "Harouna Haïdara"
    assert haidara.fields["rank"] == "colonel-major"
    # His function is a link of his proposal: the position he holds in the ministry.
    [held] = haidara.links
    assert (held["kind"], held["role"]) == ("position", "chef de cabinet")
    assert held["name"] == "ministère de la Défense et des anciens combattants"
    assert not Person.objects.exists()  # nothing is a record before it is accepted


def test_a_batch_reports_each_file_on_its_own(editor: Any, mission: Any) -> None:
    queued = queue(
        editor,
        mission,
        ("article.txt", ARTICLE),
        ("empty.txt", b"  \n"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
        ("scan.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj"),
        ("artikel.txt", "Der Artikel über die Zusammenarbeit.".encode()),
    )
    assert queued.refused == [("empty.txt", "The file is empty.")]
    assert queued.run is not None
    run = TaskRun.objects.get(pk=queued.run.pk)
    assert (run.done, run.total, run.result["ready"], run.result["failed"]) == (4, 4, 1, 3)
    assert run.result["url"] == "/intake/"
    failed = {d.file_name: d for d in IntakeDocument.objects.filter(status="failed")}
    assert set(failed) == {"image.txt", "scan.pdf", "artikel.txt"}
    assert "binary" in failed["image.txt"].error
    assert "no text" in failed["scan.pdf"].error
    assert "another language" in failed["artikel.txt"].error
    # Nothing half written: no original kept, no proposal, for the failed ones.
    for document in failed.values():
        assert document.source is None
        assert not document.proposals.exists()
    assert Source.objects.count() == 1
    assert not IntakeDocument.objects.filter(file_name="empty.txt").exists()


def test_a_file_over_the_limit_is_refused_before_it_is_stored(
    editor: Any, mission: Any, settings: Any
) -> None:
    settings.LIAISON_INTAKE_MAX_BYTES = 1000
    queued = queue(editor, mission, ("big.txt", b"a" * 1001))
    assert queued.run is None
    assert queued.documents == []
    assert queued.refused[0][0] == "big.txt"
    assert "too large" in queued.refused[0][1]
    assert not Source.objects.exists()
    assert not IntakeDocument.objects.exists()


def test_a_crash_of_the_pipeline_fails_the_document_not_the_batch(
    editor: Any, mission: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("model missing")

    monkeypatch.setattr("liaison.intake.pipeline.extract", broken)
    queued = queue(editor, mission, ("a.txt", b"Du texte."))
    document = IntakeDocument.objects.get()
    assert document.status == DocumentStatus.FAILED
    assert "model missing" in document.error
    assert queued.run is not None
    assert TaskRun.objects.get(pk=queued.run.pk).status == "done"
    assert not Source.objects.exists()


def test_a_viewer_may_not_queue(mission: Any) -> None:
    with pytest.raises(PermissionDenied):
        queue(member(mission, "viewer"), mission, ("a.txt", ARTICLE))
    assert not IntakeDocument.objects.exists()


# --- deciding --------------------------------------------------------------------------


def test_accepting_makes_records_cited_to_their_sentence(editor: Any, mission: Any) -> None:
    document = read_article(editor, mission)
    outcome = services.bulk(list(document.proposals.all()), "accept", user=editor)
    assert outcome.errors == []
    person = Person.objects.get(full_name="Harouna Haïdara")
    assert (person.rank, person.owner, person.created_by) == ("colonel-major", mission, editor)
    position = Position.objects.get(person=person)
    assert position.title_fr == "chef de cabinet"
    assert position.organization.name_fr == "ministère de la Défense et des anciens combattants"
    organization = Organization.objects.get(acronym_fr="DIILS")
    assert organization.name_fr == "Defence Institute of International Legal Studies"
    citation = Citation.objects.get(
        content_type=ContentType.objects.get_for_model(Person), object_id=person.pk
    )
    source = citation.source
    assert source.text[citation.start : citation.end] == citation.quote
    assert citation.quote.startswith("L’événement a été suivi")  # noqa: RUF001
    assert "Harouna Haïdara" in citation.quote
    assert citation.quote.endswith("Wallace Bain.")
    document.refresh_from_db()
    assert document.status == DocumentStatus.REVIEWED
    assert not document.proposals.filter(status=ProposalStatus.PROPOSED).exists()


def test_an_impossible_range_is_kept_as_written_and_flagged(editor: Any, mission: Any) -> None:
    document = read_article(editor, mission)
    services.accept(proposal(document, "organization"), user=editor)
    event = services.accept(proposal(document, "event"), user=editor)
    event = Event.objects.get(pk=event.pk)
    assert event.kind == "training"
    assert event.date_as_written == "du 19 au 11 février 2025"
    assert event.date_flags == ["end_before_start"]
    assert (event.start_date, event.end_date, event.period) == (None, None, "2025-02")
    assert [o.acronym_fr for o in event.organisers.all()] == ["DIILS"]


def test_corrected_dates_drop_the_old_flag(editor: Any, mission: Any) -> None:
    document = read_article(editor, mission)
    event = services.accept(
        proposal(document, "event"),
        user=editor,
        fields={"start": "2025-02-19", "end": "2025-02-21"},
    )
    event = Event.objects.get(pk=event.pk)
    assert event.date_flags == []
    assert str(event.start_date) == "2025-02-19"
    assert str(event.end_date) == "2025-02-21"
    assert event.date_as_written == "du 19 au 11 février 2025"  # the source's words stay


def test_dates_as_read_become_dated_fields() -> None:
    import datetime

    exact = services.dated_fields("2025-02-19", "2025-02-21", [], "du 19 au 21 février 2025")
    assert exact["start_date"] == datetime.date(2025, 2, 19)
    assert exact["end_date"] == datetime.date(2025, 2, 21)
    assert exact["date_flags"] == []
    assert services.dated_fields("2016", "", [], "en 2016")["period"] == "2016"
    across = services.dated_fields("2024-12-30", "2024-01-02", [], "")
    assert across["date_flags"] == ["end_before_start"]
    assert across["period"] == "2024"


def test_an_edited_proposal_is_accepted_as_corrected(editor: Any, mission: Any) -> None:
    document = read_article(editor, mission)
    maiga = document.proposals.get(label="Boubacar Maïga")
    services.accept(maiga, user=editor, fields={"name": "Boubacar Maïga", "rank": "colonel-major"})
    assert Person.objects.get(full_name="Boubacar Maïga").rank == "colonel-major"
    maiga.refresh_from_db()
    assert maiga.fields["rank"] == "colonel-major"
    assert maiga.status == "accepted"
    with pytest.raises(services.ReviewError):
        services.accept(maiga, user=editor)  # decided once
    assert Person.objects.filter(full_name="Boubacar Maïga").count() == 1


def test_an_empty_name_is_refused_and_nothing_is_written(editor: Any, mission: Any) -> None:
    document = read_article(editor, mission)
    maiga = document.proposals.get(label="Boubacar Maïga")
    with pytest.raises(services.ReviewError, match="name"):
        services.accept(maiga, user=editor, fields={"name": " "})
    maiga.refresh_from_db()
    assert maiga.status == "proposed"
    assert not Person.objects.exists()
    assert not Citation.objects.exists()


def test_merging_ties_the_mention_to_the_existing_record(editor: Any, mission: Any) -> None:
    known = f.person(owner=mission, full_name="Harouna Haidara")
    document = read_article(editor, mission)
    haidara = document.proposals.get(kind="person", label="Harouna Haïdara")
    services.merge(haidara, user=editor, model_label="partners.person", pk=known.pk)
    known.refresh_from_db()
    assert known.rank == "colonel-major"  # what the record lacked
    assert Person.objects.count() == 1
    haidara.refresh_from_db()
    assert (haidara.status, haidara.record) == ("merged", known)
    assert Citation.objects.filter(object_id=known.pk).exists()
    # The position his proposal links him to goes to the merged person.
    assert Position.objects.get(person=known).title_fr == "chef de cabinet"


def test_merging_into_a_record_one_cannot_see_is_refused(editor: Any, mission: Any) -> None:
    hidden = f.person(owner=f.workspace(), full_name="Harouna Haïdara")
    document = read_article(editor, mission)
    haidara = document.proposals.get(kind="person", label="Harouna Haïdara")
    with pytest.raises(services.ReviewError):
        services.merge(haidara, user=editor, model_label="partners.person", pk=hidden.pk)
    assert not Citation.objects.filter(object_id=hidden.pk).exists()


def test_a_rejected_mention_is_not_proposed_again_in_the_workspace(
    editor: Any, mission: Any
) -> None:
    document = read_article(editor, mission)
    services.reject(document.proposals.get(label="Boubacar Maïga"), user=editor)
    assert Rejection.objects.filter(workspace=mission, kind="person", text="boubacar maiga")
    assert not Person.objects.exists()
    again = read_article(editor, mission)
    assert not again.proposals.filter(label="Boubacar Maïga").exists()
    assert again.proposals.filter(label="Harouna Haïdara").exists()
    # Another workspace has its own memory.
    other = f.workspace()
    elsewhere = read_article(member(other), other)
    assert elsewhere.proposals.filter(label="Boubacar Maïga").exists()


def test_a_viewer_may_read_but_not_decide(editor: Any, mission: Any) -> None:
    document = read_article(editor, mission)
    viewer = member(mission, "viewer")
    with pytest.raises(PermissionDenied):
        services.accept(proposal(document, "organization"), user=viewer)
    with pytest.raises(PermissionDenied):
        services.reject(proposal(document, "organization"), user=viewer)
    assert not Organization.objects.exists()
    assert not Rejection.objects.exists()


# --- pages -----------------------------------------------------------------------------


def client_for(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_upload_page_queues_the_files_and_shows_progress(editor: Any, mission: Any) -> None:
    client = client_for(editor)
    assert client.get("/intake/add/").status_code == 200
    response = client.post(
        "/intake/add/",
        {
            "documents": [
                SimpleUploadedFile("article.txt", ARTICLE),
                SimpleUploadedFile("vide.txt", b" \n"),
            ],
            "owner": mission.pk,
            "release": "private",
            "kind": "press_article",
            "url": "https://example.org/article",
            "published_on": "2025-03-01",
        },
    )
    assert TaskRun.objects.get().finished  # run at once in the tests (not detached)
    document = IntakeDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/intake/{document.pk}/"  # its page shows the reading
    assert document.url == "https://example.org/article"
    assert document.source is not None
    assert document.source.kind == "press_article"
    assert str(document.published_on) == "2025-03-01"
    page = client.get(response["Location"], follow=True).content.decode()
    assert "vide.txt" in page  # the refused file is named, with why
    assert f"/intake/{document.pk}/" in page


def test_upload_page_refuses_nothing_to_read(editor: Any, mission: Any) -> None:
    client = client_for(editor)
    response = client.post("/intake/add/", {"owner": mission.pk, "release": "private",
                                            "kind": "other"})  # fmt: skip
    assert response.status_code == 400
    assert "Choose at least one file" in response.content.decode()
    response = client.post("/intake/add/", {"documents": [SimpleUploadedFile("v.txt", b"")],
                                            "owner": mission.pk, "release": "private",
                                            "kind": "other"})  # fmt: skip
    assert response.status_code == 400
    assert "empty" in response.content.decode()
    assert not IntakeDocument.objects.exists()
    assert not TaskRun.objects.exists()


def test_pasted_text_is_read_too(editor: Any, mission: Any) -> None:
    client = client_for(editor)
    data = {"text": ARTICLE.decode(), "title": "Article DIILS", "owner": mission.pk,
            "release": "private", "kind": "other"}  # fmt: skip
    client.post("/intake/add/", data)
    document = IntakeDocument.objects.get()
    assert document.title == "Article DIILS"
    assert document.status == "ready"


def test_review_page_shows_text_marks_and_proposals(editor: Any, mission: Any) -> None:
    document = read_article(editor, mission)
    page = client_for(editor).get(f"/intake/{document.pk}/").content.decode()
    assert re.search(r'class="m-person proposed" data-p="\d+" tabindex="0">Harouna Haïdara', page)
    assert "colonel-major" in page
    assert "Accept all" in page
    assert page.count('class="proposal proposed k-') == document.proposals.count()


def test_review_page_shows_the_visible_candidates_only(editor: Any, mission: Any) -> None:
    seen = f.person(owner=mission, full_name="Harouna Haidara")
    hidden = f.person(owner=f.workspace(), full_name="Harouna Haïdara Secret")
    document = read_article(editor, mission)
    haidara = document.proposals.get(kind="person", label="Harouna Haïdara")
    haidara.candidates = [
        {"model": "partners.person", "pk": seen.pk, "name": "Harouna Haidara", "score": 0.97},
        {"model": "partners.person", "pk": hidden.pk, "name": "Secret", "score": 0.9},
    ]
    haidara.save()
    page = client_for(editor).get(f"/intake/{document.pk}/").content.decode()
    assert f'value="partners.person:{seen.pk}"' in page
    assert "0.97" in page
    assert "Secret" not in page
    assert f"partners.person:{hidden.pk}" not in page


def test_htmx_decisions_swap_the_card(editor: Any, mission: Any) -> None:
    document = read_article(editor, mission)
    client = client_for(editor)
    org = proposal(document, "organization")
    response = client.post(f"/intake/proposals/{org.pk}/accept/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'class="proposal accepted k-organization"' in response.content.decode()
    assert Organization.objects.filter(acronym_fr="DIILS").exists()
    maiga = document.proposals.get(label="Boubacar Maïga")
    form = client.get(f"/intake/proposals/{maiga.pk}/edit/", HTTP_HX_REQUEST="true")
    assert 'value="colonel"' in form.content.decode()  # pre-filled
    response = client.post(
        f"/intake/proposals/{maiga.pk}/edit/",
        {f"p{maiga.pk}-name": "Boubacar Maïga", f"p{maiga.pk}-rank": "colonel (ER)"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert Person.objects.get(full_name="Boubacar Maïga").rank == "colonel (ER)"
    place = proposal(document, "place")
    response = client.post(f"/intake/proposals/{place.pk}/reject/", HTTP_HX_REQUEST="true")
    assert 'class="proposal rejected k-place"' in response.content.decode()
    # Deciding twice says so, without a second record.
    response = client.post(f"/intake/proposals/{org.pk}/accept/", HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "already decided" in response.content.decode()
    assert Organization.objects.filter(acronym_fr="DIILS").count() == 1


def test_bulk_accept_all_then_the_records_are_there(editor: Any, mission: Any) -> None:
    document = read_article(editor, mission)
    client = client_for(editor)
    response = client.post(f"/intake/{document.pk}/bulk/", {"action": "accept_all"}, follow=True)
    assert "5 proposals accepted." in response.content.decode()
    assert Person.objects.count() == 2
    assert Event.objects.count() == 1
    person = Person.objects.get(full_name="Harouna Haïdara")
    page = client.get(person.get_absolute_url()).content.decode()
    assert "colonel-major" in page
    assert "chef de cabinet" in page


def test_bulk_reject_the_chosen(editor: Any, mission: Any) -> None:
    document = read_article(editor, mission)
    chosen = [p.pk for p in document.proposals.filter(kind__in=["place", "organization"])]
    client_for(editor).post(f"/intake/{document.pk}/bulk/", {"action": "reject",
                                                            "proposal": chosen})  # fmt: skip
    assert set(document.proposals.filter(status="rejected").values_list("pk", flat=True)) == set(
        chosen
    )
    assert Rejection.objects.count() == 2


def test_an_outsider_sees_nothing_of_a_document_under_review(editor: Any, mission: Any) -> None:
    document = read_article(editor, mission)
    outsider = member(f.workspace(), "administrator")
    client = client_for(outsider)
    assert client.get(f"/intake/{document.pk}/").status_code == 404
    listing = client.get("/intake/").content.decode()
    assert document.title not in listing
    assert f"/intake/{document.pk}/" not in listing
    some = proposal(document, "organization")
    assert client.post(f"/intake/proposals/{some.pk}/accept/").status_code == 404
    assert client.get(f"/intake/proposals/{some.pk}/edit/").status_code == 404
    assert client.post(f"/intake/{document.pk}/bulk/", {"action": "accept_all"}).status_code == 404
    assert not Organization.objects.exists()
    # A viewer of the workspace reads it, but may not decide.
    viewer = client_for(member(mission, "viewer"))
    page = viewer.get(f"/intake/{document.pk}/").content.decode()
    assert "Harouna Haïdara" in page
    assert "Accept all" not in page
    assert viewer.post(f"/intake/proposals/{some.pk}/accept/").status_code == 403


def test_nav_has_the_intake(editor: Any) -> None:
    page = client_for(editor).get("/intake/").content.decode()
    assert 'href="/intake/"' in page
    assert 'href="/intake/add/"' in page


# --- command ---------------------------------------------------------------------------


def test_command_add_queues_with_a_progress_bar(editor: Any, mission: Any, tmp_path: Any) -> None:
    good = tmp_path / "article.txt"
    good.write_bytes(ARTICLE)
    empty = tmp_path / "vide.txt"
    empty.write_bytes(b"")
    out, err = io.StringIO(), io.StringIO()
    call_command("intake", "add", str(good), str(empty), "--workspace", "osc", stdout=out,
                 stderr=err)  # fmt: skip
    assert "[##############################] 1/1" in out.getvalue()
    assert "article.txt: 5 proposals to review" in out.getvalue()
    assert "vide.txt: The file is empty." in err.getvalue()
    document = IntakeDocument.objects.get()
    assert document.created_by == editor
    assert document.status == "ready"


def test_command_add_needs_a_writer(mission: Any, tmp_path: Any) -> None:
    good = tmp_path / "article.txt"
    good.write_bytes(ARTICLE)
    viewer = member(mission, "viewer", "lecteur")
    with pytest.raises(CommandError, match="may not add"):
        call_command("intake", "add", str(good), "--workspace", "osc", "--user", viewer.username)
    with pytest.raises(CommandError, match="No workspace"):
        call_command("intake", "add", str(good), "--workspace", "nowhere", "--user", "lecteur")
    assert not IntakeDocument.objects.exists()


def test_kinds_are_the_brief_s() -> None:
    assert set(ProposalKind.values) == {
        "organization", "person", "position", "place", "agreement", "event", "activity",
    }  # fmt: skip
