"""Helpers for the tests of record pages: users with a role, form data, query counts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from liaison.core.choices import Role
from liaison.core.models import Workspace
from tests import factories


def member(role: str = Role.EDITOR, workspace: Workspace | None = None) -> Any:
    """A user holding `role` in `workspace` (the factories' workspace by default)."""
    user = factories.user()
    factories.membership(user=user, workspace=workspace or factories.owner_workspace(), role=role)
    return user


def outsider() -> Any:
    """A user of another workspace, who sees only what is open or released to them."""
    return member(Role.MANAGER, factories.workspace())


def token_client(user: Any, language: str = "en") -> APIClient:
    """A client that authenticates with the user's API token, as a script would (none
    for an anonymous client)."""
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(form: Any) -> dict[str, Any]:
    """What the browser posts back for an unchanged form: its values as rendered, and of
    the related choices only those the page offers (never a record the user may not see)."""
    data: dict[str, Any] = {}
    for bound in form:
        value = bound.value()
        if isinstance(bound.field, django_forms.FileField) or value is None or value is False:
            continue
        queryset = getattr(bound.field, "queryset", None)
        if queryset is not None:
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


def page_data(response: Any) -> dict[str, Any]:
    """The data of an edit page's form and of its inline formsets, as rendered."""
    data = form_data(response.context["form"])
    for formset in response.context.get("formsets") or []:
        data.update(form_data(formset.management_form))
        for child in formset.forms:
            data.update(form_data(child))
    return data


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(context.captured_queries)


def assert_constant_queries(client: Client, url: str, add_rows: Callable[[int], Any]) -> None:
    """The page costs as many queries with 3 related rows as with 30."""
    assert_constant_queries_for(client, lambda: [url], add_rows)


def assert_constant_queries_for(
    client: Client, urls: Callable[[], list[str]], add_rows: Callable[[int], Any]
) -> None:
    """Each page costs no more queries with 30 related rows than with 3 (`urls` is called
    once the first 3 are there, so that it may name them)."""
    add_rows(3)
    pages = urls()
    for url in pages:
        client.get(url)  # warm the caches (content types...)
    with_3 = {url: count_queries(client, url) for url in pages}
    add_rows(27)
    with_30 = {url: count_queries(client, url) for url in pages}
    # Fewer is fine: a filter's choice list that grows long turns into a picker, which
    # reads none of its records (core.filtersets.pickers_for_long_choices).
    changed = {url: (with_3[url], with_30[url]) for url in pages if with_30[url] > with_3[url]}
    assert not changed, f"queries with 3 rows, with 30: {changed}"
