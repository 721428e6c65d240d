"""A workspace with one member per role, and helpers to read list pages and post forms."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django import forms as django_forms
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from liaison.core.choices import Role
from liaison.core.models import Membership, Workspace
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
    """What the browser would post back, unchanged, from an edit page."""
    data: dict[str, Any] = {}
    forms = [response.context["form"]]
    for formset in response.context.get("formsets") or []:
        forms.append(formset.management_form)
        forms.extend(formset.forms)
    for form in forms:
        for bound in form:
            if isinstance(bound.field, django_forms.FileField):
                continue
            value = bound.value()
            if value is None or value is False:
                continue
            queryset = getattr(bound.field, "queryset", None)
            if queryset is not None:
                # The browser posts back only the choices the page offers.
                chosen = value if isinstance(value, list | tuple) else [value]
                offered = {
                    str(pk) for pk in queryset.filter(pk__in=chosen).values_list("pk", flat=True)
                }
                value = [v for v in chosen if str(v) in offered]
                if not isinstance(bound.field, django_forms.ModelMultipleChoiceField):
                    if not value:
                        continue
                    value = value[0]
            if value is True:
                data[bound.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(v) for v in value]
            else:
                data[bound.html_name] = str(value)
    return data
