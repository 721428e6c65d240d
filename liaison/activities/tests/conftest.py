"""A workspace with one member per role, and helpers to read list pages and post forms."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from liaison.core.choices import Role
from liaison.core.models import Membership, Workspace
from liaison.core.tests.pages import page_data
from tests import factories as f


@dataclass
class Mission:
    workspace: Workspace
    viewer: Any
    editor: Any
    manager: Any

    def client(self, role: str = "editor") -> Client:
        return logged_in(getattr(self, role))


def member(workspace: Workspace, role: str) -> Any:
    user = f.user()
    Membership.objects.create(user_id=user.pk, workspace=workspace, role=role)
    return user


def logged_in(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def mission(db: None) -> Mission:
    workspace = f.workspace(name="Mission A", slug="mission-a")
    return Mission(
        workspace=workspace,
        viewer=member(workspace, Role.VIEWER),
        editor=member(workspace, Role.EDITOR),
        manager=member(workspace, Role.MANAGER),
    )


@pytest.fixture
def other_mission(db: None) -> Mission:
    workspace = f.workspace(name="Mission B", slug="mission-b")
    return Mission(
        workspace=workspace,
        viewer=member(workspace, Role.VIEWER),
        editor=member(workspace, Role.EDITOR),
        manager=member(workspace, Role.MANAGER),
    )


def listed_pks(client: Client, url: str, **params: Any) -> set[int]:
    """The pks of every row the list page shows for `params` (all pages)."""
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:500]
    table = response.context["table"]
    return {record.pk for record in table.data}


def query_count(fetch: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = fetch()
    assert response.status_code == 200
    return len(queries)


def form_data(response: Any) -> dict[str, Any]:
    """What the browser posts back, unchanged, from an edit page."""
    return page_data(response)
