"""Issue 19, item 3 (an INVEST-grade workflow) and item 5 (the officers' pages): batches
of at most 50, approvals with conditions, rejected units kept rejected until remediated,
courtesy checks, the expiry report and the daily job, decisions and overrides in the API,
the batch for the embassy, the officers' navigation and the sanctions list upload."""

from __future__ import annotations

import csv
import datetime
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation

from liaison.core.choices import Role
from liaison.core.models import TaskRun
from liaison.core.tests.pages import client_for, member, page_data, token_client
from liaison.vetting import services
from liaison.vetting.gate import Standings
from liaison.vetting.models import (
    CourtesyCheck,
    GateOverride,
    Remediation,
    ScreeningList,
    VettingRequest,
)
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DATA = Path(__file__).parent / "data"


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def officer() -> Any:
    return member(Role.VETTING_OFFICER)


def rejected_unit(officer: Any) -> tuple[Any, VettingRequest]:
    unit = factories.organization()
    request = factories.vetting_request(
        subject_person=None, subject_organization=unit, requested_on=days(-20)
    )
    services.decide(
        request,
        "denied",
        acting_user=officer,
        reason="Exécutions extrajudiciaires documentées",
        hits_on="unit",
        on=days(-10),
    )
    request.refresh_from_db()
    return unit, request


# --- a rejected unit stays rejected until remediated ---------------------------------


def test_a_rejected_unit_stays_rejected_through_a_new_request_until_remediated(
    officer: Any,
) -> None:
    unit, rejection = rejected_unit(officer)
    assert rejection.hits_on == "unit"
    # A new request for the unit is refused, whatever the channel (clean() is the rule).
    with translation.override("en"), pytest.raises(ValidationError, match="stays rejected"):
        factories.vetting_request(
            subject_person=None, subject_organization=unit, save=False
        ).full_clean()
    # Through the form: a clear error, and nothing written.
    client = client_for(officer)
    response = client.post(
        reverse("vetting:vettingrequest_add"),
        {
            "subject_organization": unit.pk,
            "requested_on": TODAY.isoformat(),
            "owner": factories.owner_workspace().pk,
            "release": "private",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "stays rejected until a remediation" in response.content.decode()
    assert VettingRequest.objects.filter(subject_organization=unit).count() == 1
    # Through the API likewise (400, nothing written).
    answer = token_client(officer).post(
        "/api/vetting-requests/",
        {
            "subject_organization": unit.pk,
            "requested_on": TODAY.isoformat(),
            "owner": factories.owner_workspace().pk,
        },
        format="json",
    )
    assert answer.status_code == 400, answer.content
    assert VettingRequest.objects.filter(subject_organization=unit).count() == 1
    # A batch request for an activity leaves the unit out (it stays flagged not cleared).
    activity = factories.activity(planned_start=days(30))
    factories.activity_participation(activity=activity, organization=unit, role="beneficiary")
    assert services.request_for_activity(activity, acting_user=officer) == []
    # The page says why.
    page = client.get(rejection.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "no new request for it can be opened or approved" in page

    # A remediation needs its evidence, and only a rejected unit's file takes one.
    with pytest.raises(ValidationError):
        services.remediate(rejection, acting_user=officer, description="Procès", evidence=" ")
    with pytest.raises(ValidationError):
        services.remediate(
            factories.vetting_request(), acting_user=officer, description="x", evidence="y"
        )
    # Only a vetting officer records one.
    with pytest.raises(PermissionDenied):
        services.remediate(
            rejection, acting_user=member(Role.EDITOR), description="x", evidence="y"
        )
    response = client.post(
        reverse("vetting:remediate", args=[rejection.pk]),
        {
            "description": "Auteurs jugés et condamnés",
            "evidence": "Jugement du tribunal militaire de Bamako, 12 mars",
        },
    )
    assert response.status_code == 302
    remediation = Remediation.objects.get(vetting_request=rejection)
    assert remediation.decided_by == officer
    assert remediation.history.count() == 1

    # Now a new request may be opened and approved; the unit is cleared again.
    again = factories.vetting_request(
        subject_person=None, subject_organization=unit, requested_on=TODAY
    )
    services.decide(again, "approved", acting_user=officer, reason="Remédiation constatée")
    assert Standings.load(TODAY, units={unit.pk}).unit_cleared(unit.pk)


def test_an_older_open_request_of_a_rejected_unit_is_not_approved(officer: Any) -> None:
    unit = factories.organization()
    older = factories.vetting_request(
        subject_person=None, subject_organization=unit, requested_on=days(-30)
    )
    denied = factories.vetting_request(
        subject_person=None, subject_organization=unit, requested_on=days(-20)
    )
    services.decide(denied, "denied", acting_user=officer, reason="Exactions")
    with translation.override("en"), pytest.raises(ValidationError, match="stays rejected"):
        services.decide(older, "approved", acting_user=officer, reason="RAS")
    older.refresh_from_db()
    assert older.status == "requested"


# --- approval with conditions, courtesy checks -------------------------------------------


def test_an_approval_with_conditions_states_them_and_clears(officer: Any) -> None:
    request = factories.vetting_request(requested_on=days(-3))
    with translation.override("en"), pytest.raises(ValidationError, match="conditions"):
        services.decide(request, "approved_conditions", acting_user=officer, reason="RAS")
    services.decide(
        request,
        "approved_conditions",
        acting_user=officer,
        reason="RAS sur l'individu",
        conditions="Pas de formation au tir",
        hits_on="unit",
    )
    request.refresh_from_db()
    assert (request.status, request.conditions, request.hits_on) == (
        "approved_conditions",
        "Pas de formation au tir",
        "unit",
    )
    person_id = request.subject_person_id
    assert person_id is not None
    assert Standings.load(TODAY, persons={person_id}).person_cleared(person_id)
    # Suspended, then reinstated: back to the approval it was, conditions included.
    services.suspend(request, acting_user=officer, reason="Allégation")
    request.refresh_from_db()
    services.reinstate(request, acting_user=officer, reason="Allégation infondée")
    request.refresh_from_db()
    assert request.status == "approved_conditions"
    assert request.conditions == "Pas de formation au tir"


def test_courtesy_checks_are_dated_entries_on_the_file(officer: Any) -> None:
    request = factories.vetting_request(requested_on=days(-3))
    client = client_for(officer)
    response = client.post(
        reverse("vetting:courtesy", args=[request.pk]),
        {
            "section": "other_donor",
            "consulted": "EUTM Mali",
            "checked_on": days(-1).isoformat(),
            "outcome": "nothing",
            "notes": "Aucune information",
        },
    )
    assert response.status_code == 302
    check = CourtesyCheck.objects.get(vetting_request=request)
    assert (check.checked_on, check.recorded_by) == (days(-1), officer)
    page = client.get(request.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "EUTM Mali" in page
    assert "Another donor" in page
    # Another workspace's officer sees neither the file nor its entries.
    stranger = member(Role.VETTING_OFFICER, factories.workspace())
    assert client_for(stranger).get(request.get_absolute_url()).status_code == 404
    assert not CourtesyCheck.objects.visible_to(stranger).exists()


# --- batches: at most 50 -----------------------------------------------------------------


def open_requests(n: int) -> list[VettingRequest]:
    return [factories.vetting_request(requested_on=days(-2)) for _ in range(n)]


def test_a_batch_of_51_is_refused_by_the_service_the_page_and_the_api(officer: Any) -> None:
    batch = factories.vetting_batch()
    requests = open_requests(51)
    with translation.override("en"), pytest.raises(ValidationError, match="at most 50"):
        services.add_to_batch(batch, requests, acting_user=officer)
    assert not VettingRequest.objects.filter(batch=batch).exists()  # all or nothing
    # The page: a clear message, nothing added.
    client = client_for(officer)
    response = client.post(
        reverse("vetting:batch_add", args=[batch.pk]),
        {"requests": [r.pk for r in requests]},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert "A batch holds at most 50 subjects" in response.content.decode()
    assert not VettingRequest.objects.filter(batch=batch).exists()
    # The API: 400 with the message, nothing added.
    api = token_client(officer)
    etag = api.get(f"/api/vetting-batches/{batch.pk}/")["ETag"]
    answer = api.post(
        f"/api/vetting-batches/{batch.pk}/add/",
        {"requests": [r.pk for r in requests]},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert answer.status_code == 400
    assert "at most 50" in json.dumps(answer.json())
    assert not VettingRequest.objects.filter(batch=batch).exists()
    # 50 pass; the 51st, by the file's own form (its batch field), is refused.
    answer = api.post(
        f"/api/vetting-batches/{batch.pk}/add/",
        {"requests": [r.pk for r in requests[:50]]},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["subjects"] == 50
    url = reverse("vetting:vettingrequest_edit", args=[requests[50].pk])
    data = page_data(client.get(url))
    data["batch"] = str(batch.pk)
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "A batch holds at most 50 subjects" in response.content.decode()
    requests[50].refresh_from_db()
    assert requests[50].batch is None
    # And through the API's file endpoint.
    file_etag = api.get(f"/api/vetting-requests/{requests[50].pk}/")["ETag"]
    answer = api.patch(
        f"/api/vetting-requests/{requests[50].pk}/",
        {"batch": batch.pk},
        format="json",
        HTTP_IF_MATCH=file_etag,
    )
    assert answer.status_code == 400
    assert VettingRequest.objects.filter(batch=batch).count() == 50


def test_a_batch_import_of_51_is_refused_whole(officer: Any, tmp_path: Path) -> None:
    officer.username = "officier-lots"
    officer.save()
    batch = factories.vetting_batch()
    persons = [factories.person() for _ in range(51)]
    sheet = tmp_path / "lot.csv"
    sheet.write_text("person_id\n" + "".join(f"{p.pk}\n" for p in persons), encoding="utf-8")
    args = (
        "vetting",
        "import-batch",
        str(sheet),
        "--batch",
        str(batch.pk),
        "--user",
        "officier-lots",
    )
    with translation.override("en"), pytest.raises(CommandError, match="at most 50 subjects"):
        call_command(*args, stdout=io.StringIO())
    assert not VettingRequest.objects.exists()
    # One bad line refuses the whole file, each error named by its line.
    hidden = factories.person(owner=factories.workspace())
    sheet.write_text(f"person_id\n{persons[0].pk}\n{hidden.pk}\n", encoding="utf-8")
    with translation.override("en"), pytest.raises(CommandError, match="Line 3"):
        call_command(*args, stdout=io.StringIO())
    assert not VettingRequest.objects.exists()
    # 50 pass, opened in the batch.
    sheet.write_text("person_id\n" + "".join(f"{p.pk}\n" for p in persons[:50]), encoding="utf-8")
    out = io.StringIO()
    with translation.override("en"):
        call_command(*args, stdout=out)
    assert "50 request(s) opened in the batch." in out.getvalue()
    assert VettingRequest.objects.filter(batch=batch, status="requested").count() == 50


def test_the_batch_status_moves_forward_only(officer: Any) -> None:
    batch = factories.vetting_batch()
    with pytest.raises(ValidationError):
        services.set_batch_status(batch, "submitted", acting_user=officer)  # empty
    services.add_to_batch(batch, open_requests(2), acting_user=officer)
    with pytest.raises(ValidationError):
        services.set_batch_status(batch, "completed", acting_user=officer)  # skips a step
    batch = services.set_batch_status(batch, "submitted", acting_user=officer)
    assert (batch.status, batch.submitted_on) == ("submitted", TODAY)
    with pytest.raises(ValidationError):
        services.add_to_batch(batch, open_requests(1), acting_user=officer)
    with pytest.raises(ValidationError):
        services.set_batch_status(batch, "preparing", acting_user=officer)


def test_the_batch_exports_for_the_embassy_are_safe_and_named(officer: Any) -> None:
    batch = factories.vetting_batch(reference="Lot Ségou-04")
    trap = factories.person(
        full_name='=HYPERLINK("http://x")', birth_date=datetime.date(1980, 5, 1)
    )
    plain = factories.person(full_name="Moussa Diarra")
    requests = [
        factories.vetting_request(subject_person=trap, requested_on=days(-2)),
        factories.vetting_request(subject_person=plain, requested_on=days(-2)),
    ]
    services.add_to_batch(batch, requests, acting_user=officer)
    client = client_for(officer)
    url = reverse("vetting:batch_export", args=[batch.pk])
    answer = client.get(url + "?format=csv", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 200
    disposition = answer["Content-Disposition"]
    assert disposition.startswith('attachment; filename="vetting batch Lot Segou-04-')
    assert "filename*=UTF-8''vetting%20batch%20Lot%20S%C3%A9gou-04-" in disposition
    text = answer.getvalue().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["batch", "file", "subject type", "name"]
    assert len(rows) == 3
    names = {row[3] for row in rows[1:]}
    assert names == {'\'=HYPERLINK("http://x")', "Moussa Diarra"}
    assert "1980-05-01" in rows[1] or "1980-05-01" in rows[2]
    answer = client.get(url + "?format=xlsx")
    book = openpyxl.load_workbook(io.BytesIO(answer.content))
    cells = [c.value for row in book.active.iter_rows() for c in row]
    assert '=HYPERLINK("http://x")' in cells  # kept as text: a string cell
    string_cells = [
        c for row in book.active.iter_rows() for c in row if c.value == '=HYPERLINK("http://x")'
    ]
    assert all(c.data_type == "s" for c in string_cells)
    # Another workspace's officer: 404, nothing of the batch.
    stranger = member(Role.VETTING_OFFICER, factories.workspace())
    assert client_for(stranger).get(url + "?format=csv").status_code == 404
    assert client_for(member(Role.EDITOR)).get(url + "?format=csv").status_code == 404


def test_the_batch_page_lists_its_requests_and_offers_open_ones(officer: Any) -> None:
    batch = factories.vetting_batch()
    inside, outside = open_requests(2)
    services.add_to_batch(batch, [inside], acting_user=officer)
    page = client_for(officer).get(batch.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert "1 subject of at most 50." in text
    assert f'value="{outside.pk}"' in text
    assert f'value="{inside.pk}"' not in text


# --- the expiry report and the daily job ---------------------------------------------


def approved(officer: Any, until: datetime.date, **fields: Any) -> VettingRequest:
    request = factories.vetting_request(requested_on=days(-400), **fields)
    return services.decide(
        request, "approved", acting_user=officer, reason="RAS", valid_until=until, on=days(-300)
    )


def test_the_expiry_report_shows_60_days_ahead_as_a_page_and_csv(officer: Any) -> None:
    soon = approved(officer, days(59), subject_person=factories.person(full_name="Awa Traoré"))
    approved(officer, days(61), subject_person=factories.person(full_name="Issa Maïga"))
    approved(officer, days(-1), subject_person=factories.person(full_name="Ali Cissé"))
    client = client_for(officer)
    page = client.get(reverse("vetting:expiring"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Awa Traoré" in page
    assert "Issa Maïga" not in page
    assert "Ali Cissé" not in page
    answer = client.get(reverse("vetting:expiring") + "?format=csv", HTTP_ACCEPT_LANGUAGE="en")
    rows = list(csv.reader(io.StringIO(answer.getvalue().decode("utf-8-sig"))))
    assert [r[1] for r in rows[1:]] == ["Awa Traoré"]
    assert rows[1][0] == str(soon.pk)
    assert rows[1][5] == "59"
    # Only what the reader holds: another workspace's officer, or an editor, sees nothing.
    for stranger in (member(Role.VETTING_OFFICER, factories.workspace()), member(Role.EDITOR)):
        text = client_for(stranger).get(reverse("vetting:expiring")).content.decode()
        assert "Awa Traoré" not in text


def test_the_daily_job_expires_and_counts_what_to_renew(officer: Any) -> None:
    lapsed = approved(officer, days(-1))
    approved(officer, days(30))
    out = io.StringIO()
    with translation.override("en"):
        call_command("vetting", "daily", stdout=out)
    assert "1 expired, 1 expiring within 60 days" in out.getvalue()
    lapsed.refresh_from_db()
    assert lapsed.status == "expired"
    run = TaskRun.objects.get(kind="vetting-daily")
    assert run.status == TaskRun.Status.DONE
    assert run.result == {"expired": 1, "expiring": 1, "reminders": 0}
    # Run again the same day: nothing more to expire.
    call_command("vetting", "daily", stdout=io.StringIO())
    assert TaskRun.objects.filter(kind="vetting-daily").latest("pk").result["expired"] == 0


def test_celery_beat_runs_the_daily_job_when_a_broker_is_set() -> None:
    from django.utils.module_loading import import_string

    from liaison.celery_app import app
    from liaison.vetting.tasks import daily_task

    entry = app.conf.beat_schedule["vetting-daily"]
    assert entry["task"] == "liaison.start_django_task"
    assert entry["task"] in app.tasks
    assert import_string(entry["args"][0]) is daily_task
    assert entry["schedule"].is_due(datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))[0]


# --- the API: decisions and gate overrides ---------------------------------------------


def test_decisions_through_the_api_need_if_match(officer: Any) -> None:
    request = factories.vetting_request(requested_on=days(-3))
    api = token_client(officer)
    url = f"/api/vetting-requests/{request.pk}/decide/"
    body = {"status": "approved_conditions", "reason": "RAS", "conditions": "Sans armes"}
    assert api.post(url, body, format="json").status_code == 428
    etag = api.get(f"/api/vetting-requests/{request.pk}/")["ETag"]
    assert api.post(url, body, format="json", HTTP_IF_MATCH=f'"{request.pk}.0"').status_code == 412
    answer = api.post(url, body, format="json", HTTP_IF_MATCH=etag)
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "approved_conditions"
    assert answer.json()["conditions"] == "Sans armes"
    assert answer["ETag"] != etag
    # A refused move answers 400 and changes nothing.
    again = api.post(url, {"status": "in_review"}, format="json", HTTP_IF_MATCH=answer["ETag"])
    assert again.status_code == 400
    suspend = api.post(
        f"/api/vetting-requests/{request.pk}/suspend/",
        {"reason": "Allégation"},
        format="json",
        HTTP_IF_MATCH=answer["ETag"],
    )
    assert suspend.status_code == 200
    assert suspend.json()["status"] == "suspended"
    reinstate = api.post(
        f"/api/vetting-requests/{request.pk}/reinstate/",
        {"reason": "Infondée"},
        format="json",
        HTTP_IF_MATCH=suspend["ETag"],
    )
    assert reinstate.json()["status"] == "approved_conditions"
    other = factories.vetting_request(requested_on=days(-3))
    cancel = api.post(
        f"/api/vetting-requests/{other.pk}/cancel/",
        {"reason": "Stagiaire retiré"},
        format="json",
        HTTP_IF_MATCH="*",
    )
    assert cancel.json()["status"] == "cancelled"
    # Not a vetting officer, or another workspace's: 404, as for a missing file.
    for outsider in (member(Role.MANAGER), member(Role.VETTING_OFFICER, factories.workspace())):
        assert (
            token_client(outsider).post(url, body, format="json", HTTP_IF_MATCH="*").status_code
            == 404
        )


def test_gate_overrides_in_the_api_follow_permissions_and_release() -> None:
    manager = member(Role.MANAGER)
    session = factories.session()
    person = factories.person()
    api = token_client(manager)
    body = {"session": session.pk, "subject_person": person.pk, "reason": "Ordre du chef"}
    # Only a manager of the session's workspace; with a reason.
    assert (
        token_client(member(Role.EDITOR))
        .post("/api/gate-overrides/", body, format="json")
        .status_code
        == 403
    )
    assert (
        api.post("/api/gate-overrides/", {**body, "reason": " "}, format="json").status_code == 400
    )
    answer = api.post("/api/gate-overrides/", body, format="json")
    assert answer.status_code == 201, answer.content
    created = GateOverride.objects.get()
    assert (created.gate, created.granted_by) == ("enrollment", manager)
    assert answer.json()["granted_by"] == manager.username
    listed = api.get("/api/gate-overrides/").json()
    assert [o["id"] for o in listed["results"]] == [created.pk]
    assert api.get(f"/api/gate-overrides/{created.pk}/").status_code == 200
    # Never changed nor deleted through the API.
    assert api.delete(f"/api/gate-overrides/{created.pk}/", HTTP_IF_MATCH="*").status_code == 405
    # Another workspace's user sees nothing, and may not name the session.
    stranger = token_client(member(Role.MANAGER, factories.workspace()))
    assert stranger.get("/api/gate-overrides/").json()["results"] == []
    assert stranger.get(f"/api/gate-overrides/{created.pk}/").status_code == 404
    refused = stranger.post("/api/gate-overrides/", body, format="json")
    assert refused.status_code == 400
    missing = stranger.post("/api/gate-overrides/", {**body, "session": 10**9}, format="json")
    # The same answer as for a session that does not exist.
    codes = [(e["field"], e["code"]) for e in refused.json()["errors"]]
    assert codes == [(e["field"], e["code"]) for e in missing.json()["errors"]]
    assert ("session", "does_not_exist") in codes
    assert GateOverride.objects.count() == 1


def test_the_admin_shows_overrides_read_only() -> None:
    manager = member(Role.MANAGER)
    manager.is_staff = True
    manager.save()
    override = factories.gate_override(granted_by=manager)
    client = client_for(manager)
    url = reverse("admin:vetting_gateoverride_change", args=[override.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="reason"' not in page.content.decode()
    client.post(url, {"reason": "Autre raison"})
    override.refresh_from_db()
    assert override.reason == "Décision du chef de mission"
    assert client.get(reverse("admin:vetting_gateoverride_add")).status_code == 403


# --- the officers' pages ---------------------------------------------------------------


def test_the_navigation_shows_the_queue_and_hits_to_officers_only(officer: Any) -> None:
    queue, hits = reverse("vetting:queue"), reverse("vetting:screeninghit_list")
    page = client_for(officer).get("/").content.decode()
    assert f'href="{queue}"' in page
    assert f'href="{hits}"' in page
    page = client_for(member(Role.EDITOR)).get("/").content.decode()
    assert f'href="{queue}"' not in page
    assert f'href="{hits}"' not in page


def test_officers_import_a_sanctions_list_from_the_page(officer: Any) -> None:
    url = reverse("vetting:screeninglist_import")
    assert client_for(member(Role.MANAGER)).get(url).status_code == 404
    client = client_for(officer)
    with (DATA / "ofac_sdn_mali_subset_20240503.ftm.jsonl").open("rb") as handle:
        response = client.post(url, {"file": handle, "list_name": "OFAC SDN (test)"})
    assert response.status_code == 302
    listed = ScreeningList.objects.get(name="OFAC SDN (test)")
    assert listed.entries.count() > 0
    run = TaskRun.objects.get(kind="screening")
    assert run.status == TaskRun.Status.DONE
    assert run.result["new"] == listed.entries.count()
    # A file that cannot be read: a clear error, nothing imported, the file removed.
    bad = io.BytesIO(b"not json\n")
    bad.name = "broken.jsonl"
    response = client.post(
        url, {"file": bad, "list_name": "Cassée"}, HTTP_ACCEPT_LANGUAGE="en", follow=True
    )
    assert "nothing was imported" in response.content.decode()
    assert not ScreeningList.objects.filter(name="Cassée").exists()
