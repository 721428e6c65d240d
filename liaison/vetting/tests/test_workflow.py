"""The vetting workflow: decisions, expiry, batch requests, queue, reminders, report."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from liaison.core.choices import Release, Role
from liaison.core.tests.pages import assert_constant_queries, client_for, member
from liaison.vetting import services
from liaison.vetting.models import VettingRequest
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def officer() -> Any:
    return member(Role.VETTING_OFFICER)


def test_an_approval_records_who_when_why_and_lasts_a_year(officer: Any) -> None:
    request = factories.vetting_request(requested_on=days(-3))
    services.decide(request, "in_review", acting_user=officer)
    request.refresh_from_db()
    assert request.status == "in_review"
    assert request.decided_by is None
    decided = services.decide(
        request,
        "approved",
        acting_user=officer,
        reason="Aucune information défavorable",
        evidence="Rapports ONU 2023, presse locale",
    )
    assert decided.decided_by == officer
    assert decided.decided_on == TODAY
    assert decided.valid_until == days(365)
    assert decided.decision_reason == "Aucune information défavorable"
    assert decided.history.count() == 3


def test_the_validity_is_a_setting(officer: Any, settings: Any) -> None:
    settings.LIAISON_VETTING_VALIDITY_DAYS = 90
    request = factories.vetting_request(requested_on=days(-3))
    assert services.decide(request, "approved", acting_user=officer, reason="RAS").valid_until == (
        days(90)
    )
    # Any channel: a file saved approved without a date gets one too.
    saved = factories.vetting_request(requested_on=days(-3), status="approved")
    assert saved.decided_on == TODAY
    assert saved.valid_until == days(90)


def test_decisions_need_a_reason_and_follow_the_states(officer: Any) -> None:
    request = factories.vetting_request(requested_on=days(-3))
    with translation.override("en"):
        with pytest.raises(ValidationError, match="reasons"):
            services.decide(request, "denied", acting_user=officer)
        with pytest.raises(ValidationError, match="cannot become"):
            services.decide(request, "suspended", acting_user=officer, reason="x")
    services.decide(request, "approved", acting_user=officer, reason="RAS")
    request.refresh_from_db()
    services.decide(request, "suspended", acting_user=officer, reason="Allégations nouvelles")
    request.refresh_from_db()
    assert request.status == "suspended"


def test_officer_decides_from_the_file_page_and_others_cannot(officer: Any) -> None:
    request = factories.vetting_request(requested_on=days(-3))
    url = reverse("vetting:decide", args=[request.pk])
    data = {"status": "denied", "reason": "Unité citée par le rapport", "evidence": "HRW 2024"}
    for role in (Role.VIEWER, Role.EDITOR, Role.MANAGER):
        assert client_for(member(role)).post(url, data).status_code == 404
    page = client_for(officer).get(request.get_absolute_url())
    assert 'id="decision"' in page.text
    response = client_for(officer).post(url, data)
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.decided_by, request.evidence) == ("denied", officer, "HRW 2024")


def test_expire_marks_past_approvals_and_only_those() -> None:
    lapsed = factories.vetting_request(
        status="approved", requested_on=days(-400), decided_on=days(-390), valid_until=days(-1)
    )
    valid = factories.vetting_request(
        status="approved", requested_on=days(-10), decided_on=days(-5), valid_until=days(1)
    )
    out = io.StringIO()
    call_command("vetting", "expire", stdout=out)
    assert out.getvalue().startswith("1 ")
    lapsed.refresh_from_db()
    valid.refresh_from_db()
    assert (lapsed.status, valid.status) == ("expired", "approved")
    assert lapsed.history.first().status == "expired"


def test_batch_request_for_a_session(officer: Any) -> None:
    session = factories.session(start_date=days(20))
    covered = factories.enrollment(session=session)
    factories.vetting_request(subject_person=covered.person, requested_on=days(-1))  # open
    cleared = factories.enrollment(session=session)
    factories.vetting_request(
        subject_person=cleared.person,
        status="approved",
        requested_on=days(-5),
        decided_on=days(-4),
        valid_until=days(100),
    )
    withdrawn = factories.enrollment(session=session, status="withdrawn")
    new = [factories.enrollment(session=session) for _ in range(3)]
    client = client_for(officer)
    response = client.post(reverse("vetting:batch", args=["session", session.pk]))
    assert response.status_code == 302
    made = VettingRequest.objects.filter(enrollment__session=session)
    assert {r.subject_person_id for r in made} == {e.person_id for e in new}
    assert withdrawn.person_id not in {r.subject_person_id for r in made}
    # Twice changes nothing.
    client.post(reverse("vetting:batch", args=["session", session.pk]))
    assert VettingRequest.objects.filter(enrollment__session=session).count() == 3
    # Only vetting officers.
    editor = client_for(member(Role.EDITOR))
    assert editor.post(reverse("vetting:batch", args=["session", session.pk])).status_code == 403


def test_batch_request_for_an_activity(officer: Any) -> None:
    activity = factories.activity(activity_type="equipment")
    units = [factories.organization() for _ in range(2)]
    for unit in units:
        factories.activity_participation(activity=activity, organization=unit, role="beneficiary")
    factories.activity_participation(
        activity=activity, organization=factories.organization(), role="implementing"
    )
    made = services.request_for_activity(activity, acting_user=officer)
    assert {r.subject_organization for r in made} == set(units)
    assert all(r.activity == activity for r in made)


def test_queue_is_oldest_first_and_for_officers_only(officer: Any) -> None:
    newer = factories.vetting_request(requested_on=days(-1))
    older = factories.vetting_request(requested_on=days(-9), status="in_review")
    factories.vetting_request(
        requested_on=days(-20), status="denied", decided_on=days(-10), decision_reason="x"
    )
    response = client_for(officer).get(reverse("vetting:queue"))
    assert response.context["requests"] == [older, newer]
    other = client_for(member(Role.MANAGER)).get(reverse("vetting:queue"))
    assert other.context["requests"] == []


def test_reminders_list_clearances_ending_before_the_session(officer: Any) -> None:
    session = factories.session(start_date=days(50), end_date=days(60))
    short = factories.enrollment(session=session)
    long = factories.enrollment(session=session)
    for enrollment, until in ((short, days(55)), (long, days(200))):
        factories.vetting_request(
            subject_person=enrollment.person,
            status="approved",
            requested_on=days(-5),
            decided_on=days(-4),
            valid_until=until,
        )
    found = services.reminders()
    assert [(r.subject, r.purpose) for r in found] == [(short.person, session)]
    out = io.StringIO()
    call_command("vetting", "reminders", stdout=out)
    assert str(short.person) in out.getvalue()
    assert str(long.person) not in out.getvalue()
    report = client_for(officer).get(reverse("vetting:report"))
    assert report.context["reminders"][0].subject == short.person


def test_report_counts_for_officers_and_clearances_for_others(officer: Any) -> None:
    cleared = factories.vetting_request(
        status="approved",
        requested_on=days(-5),
        decided_on=days(-4),
        valid_until=days(100),
        decision_reason="MOTIF-SECRET",
        release=Release.OPEN,
    )
    factories.vetting_request(status="denied", requested_on=days(-5), decided_on=days(-4))
    factories.vetting_request()
    response = client_for(officer).get(reverse("vetting:report"))
    counts = {status: n for status, _label, n in response.context["counts"]}
    assert (counts["approved"], counts["denied"], counts["requested"]) == (1, 1, 1)
    viewer = client_for(member(Role.VIEWER)).get(reverse("vetting:report"))
    assert viewer.context["counts"] == []
    assert viewer.context["groups"] == []
    assert viewer.context["cleared"] == [(cleared.subject_person, days(100))]
    assert "MOTIF-SECRET" not in viewer.text


def test_coverage_of_a_session(officer: Any) -> None:
    session = factories.session(start_date=days(10))
    ok, missing = factories.enrollment(session=session), factories.enrollment(session=session)
    factories.vetting_request(
        subject_person=ok.person,
        status="approved",
        requested_on=days(-5),
        decided_on=days(-4),
        valid_until=days(100),
    )
    response = client_for(officer).get(reverse("vetting:coverage", args=["session", session.pk]))
    rows = {r.subject: r for r in response.context["rows"]}
    assert rows[ok.person].cleared
    assert not rows[missing.person].cleared
    assert response.context["cleared"] == 1
    session_page = client_for(officer).get(session.get_absolute_url())
    assert reverse("vetting:coverage", args=["session", session.pk]) in session_page.text


def test_coverage_queries_do_not_grow(officer: Any) -> None:
    session = factories.session(start_date=days(10))
    unit = factories.organization(parent=factories.organization())

    def add(n: int) -> None:
        for _ in range(n):
            enrollment = factories.enrollment(session=session, unit=unit)
            factories.vetting_request(
                subject_person=enrollment.person,
                status="approved",
                requested_on=days(-5),
                decided_on=days(-4),
                valid_until=days(100),
            )

    url = reverse("vetting:coverage", args=["session", session.pk])
    assert_constant_queries(client_for(officer), url, add)
