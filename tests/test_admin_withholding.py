"""The admin's lists print linked records' names only where the user may see them."""

from __future__ import annotations

import pytest
from django.test import Client

from liaison.core.choices import Release, Role
from tests import factories

pytestmark = pytest.mark.django_db


def test_changelist_withholds_hidden_linked_names() -> None:
    mission_a, mission_b = factories.workspace(), factories.workspace()
    secret = factories.organization(owner=mission_a, name_fr="Unité secrète XYZ")
    person = factories.person(owner=mission_a, release=Release.OPEN, full_name="Agent Ouvert")
    position = factories.position(
        owner=mission_a,
        release=Release.OPEN,
        person=person,
        organization=secret,
        title_fr="Chef de section",
    )
    child = factories.organization(owner=mission_a, release=Release.OPEN, parent=secret)
    staff = factories.user(is_staff=True)
    factories.membership(user=staff, workspace=mission_b, role=Role.ADMINISTRATOR)
    client = Client()
    client.force_login(staff)
    for url in ("/admin/partners/position/", "/admin/partners/organization/"):
        page = client.get(url).content.decode()
        assert "Unité secrète XYZ" not in page, url
    positions = client.get("/admin/partners/position/").content.decode()
    assert f"/admin/partners/position/{position.pk}/change/" in positions
    assert "Agent Ouvert" in positions
    organizations = client.get("/admin/partners/organization/").content.decode()
    assert f"/admin/partners/organization/{child.pk}/change/" in organizations
