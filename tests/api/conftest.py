"""Fixtures of the API tests: two missions, their members by role, token clients
(`token_client`, shared with the apps' API tests)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AbstractUser
from django.core.cache import cache
from rest_framework.test import APIClient

from liaison.core.choices import Role
from liaison.core.models import Membership, Workspace
from liaison.core.tests.pages import token_client
from tests import factories as f


@dataclass
class Missions:
    a: Workspace
    b: Workspace
    editor: AbstractUser  # editor in A
    viewer: AbstractUser  # viewer in A
    manager: AbstractUser  # manager in A
    officer: AbstractUser  # vetting officer in A
    outsider: AbstractUser  # editor in B only


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Any:
    """Rate-limit counters live in the cache: each test starts from none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def missions(db: None) -> Missions:
    a = f.workspace(name="Mission A", slug="mission-a")
    b = f.workspace(name="Mission B", slug="mission-b")

    def member(username: str, workspace: Workspace, role: str) -> AbstractUser:
        user = f.user(username=username)
        Membership.objects.create(user=user, workspace=workspace, role=role)
        return user

    return Missions(
        a=a,
        b=b,
        editor=member("editor-a", a, Role.EDITOR),
        viewer=member("viewer-a", a, Role.VIEWER),
        manager=member("manager-a", a, Role.MANAGER),
        officer=member("officer-a", a, Role.VETTING_OFFICER),
        outsider=member("editor-b", b, Role.EDITOR),
    )


@pytest.fixture
def editor(missions: Missions) -> APIClient:
    return token_client(missions.editor)
