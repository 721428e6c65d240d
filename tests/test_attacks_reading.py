"""Issue 17, attacks 1 to 4: pages that printed what a user of another workspace may not
see. Workspace A keeps a course, a trainee and a unit private (their names hold SECRET);
it releases a session and an activity to workspace B, whose users try to read them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AbstractUser
from django.urls import reverse

from liaison.core.choices import Release, Role
from liaison.core.links import Withheld
from liaison.core.models import SearchEntry, Workspace
from liaison.core.querysets import visible
from liaison.core.tests.pages import client_for, member
from liaison.partners.models import Position
from liaison.vetting.models import VettingRequest
from tests import factories as f

pytestmark = pytest.mark.django_db

SECRET = "PLUGH"


@dataclass
class World:
    a: Workspace
    b: Workspace
    session: Any
    activity: Any
    trainee: Any
    unit: Any
    a_editor: AbstractUser
    b_viewer: AbstractUser
    b_editor: AbstractUser
    b_vetting: AbstractUser


@pytest.fixture
def world() -> World:
    a = f.workspace(name="Mission A", slug="mission-a")
    b = f.workspace(name="Mission B", slug="mission-b")
    school = f.school(owner=a, organization=f.organization(owner=a, name_fr=f"École {SECRET}"))
    course = f.course(owner=a, school=school, title_fr=f"Stage {SECRET}")
    session = f.session(owner=a, course=course, name="Session 1", release=Release.NAMED)
    session.released_to.add(b)
    trainee = f.person(owner=a, full_name=f"Stagiaire {SECRET}")
    f.enrollment(session=session, person=trainee)
    unit = f.organization(owner=a, name_fr=f"Unité {SECRET}")
    activity = f.activity(owner=a, title="Don de matériel", release=Release.NAMED)
    activity.released_to.add(b)
    f.activity_participation(activity=activity, organization=unit, role="beneficiary")
    return World(
        a=a,
        b=b,
        session=session,
        activity=activity,
        trainee=trainee,
        unit=unit,
        a_editor=member(Role.EDITOR, a),
        b_viewer=member(Role.VIEWER, b),
        b_editor=member(Role.EDITOR, b),
        b_vetting=member(Role.VETTING_OFFICER, b),
    )


def _text(response: Any) -> str:
    return response.content.decode()


def test_vetting_batch_requests_no_hidden_trainee_and_the_queue_shows_no_hidden_name(
    world: World,
) -> None:
    # Attack 2: a batch for a released session whose trainee is hidden from the officer.
    client = client_for(world.b_vetting)
    answer = client.post(reverse("vetting:batch", args=["session", world.session.pk]))
    assert answer.status_code == 302
    assert not VettingRequest.objects.filter(subject_person=world.trainee).exists()
    answer = client.post(reverse("vetting:batch", args=["activity", world.activity.pk]))
    assert answer.status_code == 302
    assert not VettingRequest.objects.filter(subject_organization=world.unit).exists()
    # A request that A made and released to B still names nothing hidden in the queue.
    enrollment = world.session.enrollments.get()
    request = f.vetting_request(
        owner=world.a,
        subject_person=world.trainee,
        enrollment=enrollment,
        release=Release.NAMED,
    )
    request.released_to.add(world.b)
    page = _text(client.get(reverse("vetting:queue")))
    assert "Session 1" in page
    assert SECRET not in page


def test_coverage_page_title_withholds_the_hidden_course(world: World) -> None:
    # Attack 3: the session's name reads its course, private to A.
    for user in (world.b_viewer, world.b_vetting):
        page = _text(
            client_for(user).get(reverse("vetting:coverage", args=["session", world.session.pk]))
        )
        assert "Session 1" in page
        assert SECRET not in page


@pytest.mark.parametrize(
    "label",
    ["core.searchentry", "vetting.historicalvettingrequest", "partners.organization"],
)
def test_intake_merge_takes_only_a_record_of_the_proposals_kind(world: World, label: str) -> None:
    # Attack 1: any model label as the merge target printed any table's row.
    document = f.intake_document(owner=world.b)
    proposal = f.proposal(document=document, kind="person")
    vetting = f.vetting_request(owner=world.a, subject_person=world.trainee, decision_reason=SECRET)
    vetting.save()
    targets = {
        "core.searchentry": SearchEntry.objects.first(),
        "vetting.historicalvettingrequest": vetting.history.first(),
        "partners.organization": f.organization(owner=world.b, name_fr="Visible"),
    }
    target = targets[label]
    assert target is not None
    client = client_for(world.b_editor)
    client.post(
        reverse("intake:proposal_decide", args=[proposal.pk, "merge"]),
        {"target": f"{label}:{target.pk}"},
    )
    proposal.refresh_from_db()
    assert proposal.status == "proposed"
    page = _text(client.get(reverse("intake:intakedocument", args=[document.pk])))
    assert SECRET not in page


@pytest.mark.parametrize(
    ("changelist", "make"),
    [
        (
            "admin:activities_assignment_changelist",
            lambda w: f.assignment(owner=w.b, person=w.trainee, organization=w.unit),
        ),
        (
            "admin:partners_position_changelist",
            lambda w: f.position(owner=w.b, person=w.trainee, organization=w.unit),
        ),
        (
            "admin:vetting_vettingrequest_changelist",
            lambda w: f.vetting_request(owner=w.b, subject_person=w.trainee),
        ),
        (
            "admin:training_enrollment_changelist",
            lambda w: f.enrollment(
                session=f.session(owner=w.b, course=f.course(owner=w.b)), person=w.trainee
            ),
        ),
    ],
)
def test_admin_search_does_not_match_hidden_linked_names(
    world: World, changelist: str, make: Any
) -> None:
    # Attack 4: rows appeared or vanished as a prefix of a hidden name grew.
    make(world)
    user = member(Role.VETTING_OFFICER, world.b)
    user.is_staff = True
    user.save()
    client = client_for(user)
    url = reverse(changelist)

    def rows(term: str) -> int:
        page = _text(client.get(url, {"q": term}))
        assert SECRET not in page.replace(f"q={term}", "").replace(f'value="{term}"', "")
        return page.count("<tr")

    assert rows("") > rows("nothing-matches-this")
    for prefix in ("Stag", f"Stagiaire {SECRET[:3]}", "Unit", SECRET[:4]):
        assert rows(prefix) == rows("nothing-matches-this"), prefix


def test_records_read_for_a_user_withhold_their_hidden_links_by_themselves(world: World) -> None:
    # The structural answer: no call to remember; str(), templates and code read alike.
    position = f.position(
        owner=world.b, person=world.trainee, organization=world.unit, release=Release.OPEN
    )
    shown = visible(Position, world.b_viewer).get(pk=position.pk)
    assert isinstance(shown.person, Withheld)
    assert isinstance(shown.organization, Withheld)
    assert SECRET not in str(shown)
    session = visible(type(world.session), world.b_viewer).get(pk=world.session.pk)
    assert SECRET not in str(session)
    enrollment = session.enrollments.get()
    assert isinstance(enrollment.person, Withheld)
    # Rules still judge the truth: validation reads the real linked records.
    shown.full_clean()
    # And a member of A reads everything.
    mine = visible(Position, world.a_editor).get(pk=position.pk)
    assert mine.person == world.trainee


def test_every_link_to_a_record_with_a_release_withholds_by_itself() -> None:
    # No page can print a hidden linked record by forgetting a call: every forward link
    # of every model to a record with a release reads through the withholding descriptor.
    from django.apps import apps

    from liaison.core.links import has_release
    from liaison.core.withholding import _Withholding

    checked = 0
    for model in apps.get_models():
        for field in model._meta.get_fields():
            link = getattr(field, "concrete", False) and (field.many_to_one or field.one_to_one)
            if link and has_release(field.related_model):
                assert isinstance(getattr(model, field.name), _Withholding), (
                    f"{model._meta.label}.{field.name}"
                )
                checked += 1
    assert checked > 40
