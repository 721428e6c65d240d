"""`visible_to(user)`, the one enforcement point: the basic cases of release.

The full access matrix (roles, vetting files, every channel) is tested elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AbstractUser, AnonymousUser

from liaison.activities.models import Activity, BudgetLine
from liaison.core.choices import Release
from liaison.core.models import Workspace
from liaison.partners.models import Organization
from tests import factories as f

pytestmark = pytest.mark.django_db


@dataclass
class World:
    owner: Workspace
    partner: Workspace
    owner_member: AbstractUser
    partner_member: AbstractUser
    other_member: AbstractUser
    private: Organization
    named: Organization
    open: Organization
    # Names the partner, but is private: the list counts only for a named release.
    private_with_list: Organization


@pytest.fixture
def world() -> World:
    owner, partner, other = f.workspace(), f.workspace(), f.workspace()
    members = []
    for workspace in (owner, partner, other):
        membership = f.membership(workspace=workspace)
        members.append(membership.user)
    named = f.organization(owner=owner, release=Release.NAMED)
    named.released_to.add(partner)
    private_with_list = f.organization(owner=owner, release=Release.PRIVATE)
    private_with_list.released_to.add(partner)
    return World(
        owner=owner,
        partner=partner,
        owner_member=members[0],
        partner_member=members[1],
        other_member=members[2],
        private=f.organization(owner=owner, release=Release.PRIVATE),
        named=named,
        open=f.organization(owner=owner, release=Release.OPEN),
        private_with_list=private_with_list,
    )


def _visible(user: AbstractUser | AnonymousUser | None) -> set[Organization]:
    return set(Organization.objects.visible_to(user))


def test_anonymous_sees_nothing(world: World) -> None:
    assert _visible(AnonymousUser()) == set()
    assert _visible(None) == set()


def test_members_of_the_owner_see_every_record_of_it(world: World) -> None:
    assert _visible(world.owner_member) == {
        world.private,
        world.named,
        world.open,
        world.private_with_list,
    }


def test_named_workspaces_see_what_is_released_to_them(world: World) -> None:
    assert _visible(world.partner_member) == {world.named, world.open}


def test_other_members_see_only_open_records(world: World) -> None:
    assert _visible(world.other_member) == {world.open}


def test_an_inactive_member_sees_nothing(world: World) -> None:
    world.owner_member.is_active = False
    world.owner_member.save()
    assert _visible(world.owner_member) == set()


def test_no_duplicates_when_released_to_several_of_the_users_workspaces(world: World) -> None:
    third = f.workspace()
    f.membership(user=world.partner_member, workspace=third)
    world.named.released_to.add(third)
    assert list(Organization.objects.visible_to(world.partner_member)).count(world.named) == 1


def test_child_rows_follow_their_parent(world: World) -> None:
    lines = {}
    for release in Release:
        activity = f.activity(owner=world.owner, release=release)
        if release == Release.NAMED:
            activity.released_to.add(world.partner)
        lines[release] = f.budget_line(activity=activity)

    assert set(BudgetLine.objects.visible_to(world.owner_member)) == set(lines.values())
    assert set(BudgetLine.objects.visible_to(world.partner_member)) == {
        lines[Release.NAMED],
        lines[Release.OPEN],
    }
    assert set(BudgetLine.objects.visible_to(world.other_member)) == {lines[Release.OPEN]}
    assert set(BudgetLine.objects.visible_to(AnonymousUser())) == set()

    # Closing the parent closes its children.
    Activity.objects.filter(pk=lines[Release.OPEN].activity_id).update(release=Release.PRIVATE)
    assert set(BudgetLine.objects.visible_to(world.other_member)) == set()
