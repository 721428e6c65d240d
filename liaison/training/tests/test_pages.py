"""The pages of schools, courses and sessions (with their enrolments)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from liaison.core.choices import Release, Role
from liaison.core.tests.pages import (
    assert_constant_queries,
    client_for,
    member,
    outsider,
    page_data,
)
from liaison.training.models import Enrollment, School, Session
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor() -> Any:
    return member(Role.EDITOR)


@pytest.fixture
def client(editor: Any) -> Any:
    return client_for(editor)


def names(response: Any) -> set[str]:
    return {str(row.record.pk) for row in response.context["table"].rows}


def pks(*records: Any) -> set[str]:
    return {str(r.pk) for r in records}


# --- lists and filters ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["school_list", "course_list", "session_list"])
def test_lists_answer(client: Any, name: str) -> None:
    factories.session()
    response = client.get(reverse(f"training:{name}"))
    assert response.status_code == 200
    assert len(response.context["table"].rows) == 1


def test_school_filters(client: Any) -> None:
    envr = factories.school(
        is_regional=True, organization=factories.organization(country=factories.country("ML"))
    )
    other = factories.school(organization=factories.organization(country=factories.country("SN")))
    url = reverse("training:school_list")
    assert names(client.get(url, {"is_regional": "true"})) == pks(envr)
    assert names(client.get(url, {"country": factories.country("SN").pk})) == pks(other)


def test_course_filters(client: Any) -> None:
    envr = factories.school(is_regional=True)
    first = factories.course(school=envr, topic="Droit des conflits armés")
    second = factories.course(topic="Déminage")
    url = reverse("training:course_list")
    assert names(client.get(url, {"school": envr.pk})) == pks(first)
    assert names(client.get(url, {"regional": "false"})) == pks(second)
    assert names(client.get(url, {"topic": "conflits"})) == pks(first)


def test_session_filters(client: Any) -> None:
    envr = factories.school(is_regional=True)
    course = factories.course(school=envr)
    march = factories.session(
        course=course,
        start_date=datetime.date(2024, 3, 1),
        end_date=datetime.date(2024, 3, 20),
        status=Session.Status.COMPLETED,
    )
    june = factories.session(start_date=datetime.date(2024, 6, 1), status=Session.Status.PLANNED)
    unit = factories.organization()
    factories.enrollment(session=march, nationality=factories.country("NE"), unit=unit)
    trainee = factories.enrollment(session=june, nationality=factories.country("ML")).person
    url = reverse("training:session_list")
    assert names(client.get(url, {"school": envr.pk})) == pks(march)
    assert names(client.get(url, {"regional": "false"})) == pks(june)
    assert names(client.get(url, {"course": course.pk})) == pks(march)
    assert names(client.get(url, {"status": "planned"})) == pks(june)
    assert names(client.get(url, {"dates_after": "2024-03-15"})) == pks(march, june)
    assert names(client.get(url, {"dates_after": "2024-03-21"})) == pks(june)
    assert names(client.get(url, {"dates_before": "2024-02-28"})) == set()
    assert names(client.get(url, {"nationality": factories.country("NE").pk})) == pks(march)
    assert names(client.get(url, {"unit": unit.pk})) == pks(march)
    assert names(client.get(url, {"person": trainee.pk})) == pks(june)
    assert names(client.get(url, {"q": march.course.title_fr})) == pks(march)


def test_session_list_counts_trainees_once(client: Any) -> None:
    session = factories.session()
    for code in ("ML", "ML", "NE"):
        factories.enrollment(session=session, nationality=factories.country(code))
    response = client.get(
        reverse("training:session_list"),
        {"nationality": [factories.country("ML").pk, factories.country("NE").pk]},
    )
    rows = list(response.context["table"].rows)
    assert len(rows) == 1
    assert rows[0].record.trainee_count == 3


# --- detail pages -----------------------------------------------------------------------


def test_school_page_shows_courses_and_sessions(client: Any) -> None:
    school = factories.school()
    course = factories.course(school=school, title_fr="Stage de chef de section")
    factories.session(course=course, name="Promotion 2024")
    response = client.get(school.get_absolute_url())
    assert response.status_code == 200
    assert "Stage de chef de section" in response.text
    assert "Promotion 2024" in response.text


def test_course_page_shows_sessions(client: Any) -> None:
    course = factories.course()
    factories.session(course=course, name="Promotion 2025")
    response = client.get(course.get_absolute_url())
    assert "Promotion 2025" in response.text


def test_session_page_shows_trainees_and_counts(client: Any) -> None:
    session = factories.session(name="Promotion 2024", start_date=datetime.date(2024, 3, 1))
    unit = factories.organization(name_fr="1er bataillon")
    for code in ("ML", "ML", "NE"):
        factories.enrollment(
            session=session,
            nationality=factories.country(code),
            unit=unit,
            result="Admis",
            certificate="BT-2024",
        )
    response = client.get(session.get_absolute_url())
    assert response.status_code == 200
    assert "1er bataillon" in response.text
    assert "BT-2024" in response.text
    counts = {str(c.alpha2): n for c, n in response.context["counts_by_nationality"]}
    assert counts == {"ML": 2, "NE": 1}
    assert session.course.school.organization.name_fr in response.text


def test_session_page_shows_clearance_not_the_file(client: Any, editor: Any) -> None:
    session = factories.session()
    trainee = factories.enrollment(session=session).person
    factories.vetting_request(
        subject_person=trainee,
        status="approved",
        decided_on=datetime.date(2024, 3, 2),
        valid_until=datetime.date(2030, 1, 1),
        decision_reason="Raison secrète",
    )
    response = client.get(session.get_absolute_url())
    assert response.context["trainees"][0].clearance["status"] == "approved"
    assert "Raison secrète" not in response.text


# --- forms --------------------------------------------------------------------------------


def test_create_school_course_and_session(client: Any) -> None:
    organization = factories.organization(name_fr="École de maintien de la paix")
    workspace = factories.owner_workspace()
    response = client.post(
        reverse("training:school_add"),
        {
            "organization": organization.pk,
            "is_regional": "on",
            "owner": workspace.pk,
            "release": "private",
        },
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    school = School.objects.get(organization=organization)
    assert school.is_regional
    response = client.post(
        reverse("training:course_add"),
        {"school": school.pk, "title_fr": "Stage DIH", "owner": workspace.pk, "release": "private"},
    )
    assert response.status_code == 302
    course = school.courses.get()
    person = factories.person()
    response = client.post(
        reverse("training:session_add"),
        {
            "course": course.pk,
            "name": "Promotion 1",
            "start_date": "2024-03-01",
            "end_date": "2024-03-10",
            "status": "planned",
            "owner": workspace.pk,
            "release": "private",
            "enrollments-TOTAL_FORMS": "1",
            "enrollments-INITIAL_FORMS": "0",
            "enrollments-0-person": person.pk,
            "enrollments-0-nationality": factories.country("ML").pk,
            "enrollments-0-status": "nominated",
        },
    )
    assert response.status_code == 302
    session = course.sessions.get()
    assert response["Location"] == session.get_absolute_url()
    assert session.enrollments.get().person == person


def test_edit_session_with_its_enrollments(client: Any) -> None:
    session = factories.session(name="Avant")
    kept = factories.enrollment(session=session)
    removed = factories.enrollment(session=session)
    newcomer = factories.person(nationality=factories.country("BF"))
    url = reverse("training:session_edit", args=[session.pk])
    response = client.get(url)
    assert response.status_code == 200
    data = page_data(response)
    forms = response.context["formsets"][0].forms
    index = {f.instance.pk: i for i, f in enumerate(forms)}
    data["name"] = "Après"
    data[f"enrollments-{index[kept.pk]}-result"] = "Admis"
    data[f"enrollments-{index[removed.pk]}-DELETE"] = "on"
    data["enrollments-2-person"] = str(newcomer.pk)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    session.refresh_from_db()
    assert session.name == "Après"
    assert session.version == 2
    kept.refresh_from_db()
    assert kept.result == "Admis"
    assert not Enrollment.objects.filter(pk=removed.pk).exists()
    assert session.enrollments.get(person=newcomer).nationality == factories.country("BF")


def test_a_trainee_is_enrolled_once(client: Any) -> None:
    session = factories.session()
    enrolled = factories.enrollment(session=session)
    url = reverse("training:session_edit", args=[session.pk])
    data = page_data(client.get(url))
    data["enrollments-1-person"] = str(enrolled.person_id)
    response = client.post(url, data)
    assert response.status_code == 400
    assert session.enrollments.count() == 1


def test_stale_edit_is_refused_and_changes_nothing(client: Any) -> None:
    session = factories.session(name="Avant")
    enrollment = factories.enrollment(session=session)
    url = reverse("training:session_edit", args=[session.pk])
    data = page_data(client.get(url))
    session.name = "Changé par un autre"
    session.save()
    data["name"] = "Le mien"
    data["enrollments-0-result"] = "Admis"
    response = client.post(url, data)
    assert response.status_code == 400
    assert "after you opened it" in response.text or "après" in response.text
    session.refresh_from_db()
    enrollment.refresh_from_db()
    assert session.name == "Changé par un autre"
    assert enrollment.result == ""


def test_edit_pickers_offer_only_visible_records(client: Any) -> None:
    hidden = factories.person(owner=factories.workspace())
    session = factories.session()
    url = reverse("training:session_edit", args=[session.pk])
    data = page_data(client.get(url))
    data["enrollments-0-person"] = str(hidden.pk)
    response = client.post(url, data)
    assert response.status_code == 400
    assert not session.enrollments.exists()


# --- access -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["school", "course", "session"])
def test_outsider_gets_404_on_private_records(kind: str) -> None:
    record = getattr(factories, kind)()
    client = client_for(outsider())
    assert client.get(record.get_absolute_url()).status_code == 404
    assert client.get(reverse(f"training:{kind}_edit", args=[record.pk])).status_code == 404
    response = client.get(reverse(f"training:{kind}_list"))
    assert len(response.context["table"].rows) == 0


def test_outsider_sees_open_records() -> None:
    session = factories.session(release=Release.OPEN)
    client = client_for(outsider())
    assert client.get(session.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("kind", ["school", "course", "session"])
def test_viewer_gets_403_on_edit_pages(kind: str) -> None:
    record = getattr(factories, kind)()
    client = client_for(member(Role.VIEWER))
    assert client.get(record.get_absolute_url()).status_code == 200
    assert client.get(reverse(f"training:{kind}_edit", args=[record.pk])).status_code == 403
    assert client.post(reverse(f"training:{kind}_edit", args=[record.pk])).status_code == 403
    assert client.get(reverse(f"training:{kind}_add")).status_code == 403


def test_search_finds_sessions_by_course(client: Any) -> None:
    session = factories.session(course=factories.course(title_fr="Maintien de la paix"))
    response = client.get(reverse("search"), {"q": "maintien paix"})
    assert session in [r for g in response.context["groups"] for r in g.results]


# --- query counts -----------------------------------------------------------------------


def test_list_queries_do_not_grow(client: Any) -> None:
    school = factories.school()
    course = factories.course(school=school)

    def add_sessions(n: int) -> None:
        for _ in range(n):
            session = factories.session(course=factories.course(school=factories.school()))
            factories.enrollment(session=session, nationality=factories.country("ML"))

    assert_constant_queries(client, reverse("training:session_list"), add_sessions)
    assert_constant_queries(
        client, reverse("training:course_list"), lambda n: [factories.course() for _ in range(n)]
    )
    assert_constant_queries(
        client, reverse("training:school_list"), lambda n: [factories.school() for _ in range(n)]
    )
    assert course.pk


def test_detail_queries_do_not_grow(client: Any) -> None:
    school = factories.school()
    course = factories.course(school=school)
    session = factories.session(course=course)

    def add_trainees(n: int) -> None:
        for _ in range(n):
            person = factories.person()
            factories.enrollment(
                session=session,
                person=person,
                nationality=factories.country("ML"),
                unit=factories.organization(),
            )
            factories.vetting_request(subject_person=person)

    assert_constant_queries(client, session.get_absolute_url(), add_trainees)
    assert_constant_queries(
        client,
        course.get_absolute_url(),
        lambda n: [
            factories.enrollment(session=factories.session(course=course)) for _ in range(n)
        ],
    )
    other = factories.school()
    assert_constant_queries(
        client,
        other.get_absolute_url(),
        lambda n: [factories.session(course=factories.course(school=other)) for _ in range(n)],
    )
