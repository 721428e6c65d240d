"""403, 404 and 500 in the app's layout and the user's language, telling nothing:
a record the user may not see answers the very page a missing one does."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.utils import translation
from django.views.defaults import server_error

from liaison.core.choices import Role
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.error_urls")]

WORDS = {
    "fr": {
        404: "Page non trouvée",
        403: "Action non autorisée",
        500: "Erreur du serveur",
        "nav": "Actions de coopération",
        "home": "Retour à l'accueil",
    },
    "en": {
        404: "Page not found",
        403: "Not allowed",
        500: "Server error",
        "nav": "Activities",
        "home": "Back to the home page",
    },
}


@pytest.fixture
def member() -> Any:
    user = factories.user()
    factories.membership(user=user, workspace=factories.owner_workspace(), role=Role.VIEWER)
    return user


def _client(user: Any, language: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def _main(html: str) -> str:
    """The page without what differs by request (the address it came from, tokens)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r'name="next" (type="hidden" )?value="[^"]*"', "", html)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_not_found_has_the_layout_the_navigation_and_the_language(
    member: Any, language: str
) -> None:
    page = _client(member, language).get("/activities/999999/")
    assert page.status_code == 404
    html = page.content.decode()
    assert f'<html lang="{language}">' in html
    assert 'class="topbar"' in html
    assert WORDS[language]["nav"] in html  # the main navigation
    assert WORDS[language][404] in html
    assert WORDS[language]["home"] in html
    other = "en" if language == "fr" else "fr"
    assert WORDS[other][404] not in html


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_hidden_record_answers_exactly_the_page_of_a_missing_one(
    member: Any, language: str
) -> None:
    hidden = factories.activity(owner=factories.workspace(), title="Opération secrète")
    missing = hidden.pk + 1000
    client = _client(member, language)
    seen = client.get(f"/activities/{hidden.pk}/")
    absent = client.get(f"/activities/{missing}/")
    assert seen.status_code == absent.status_code == 404
    assert "Opération secrète" not in seen.content.decode()
    assert f"/activities/{hidden.pk}/" not in _main(seen.content.decode())
    assert _main(seen.content.decode()) == _main(absent.content.decode())


@pytest.mark.parametrize("language", ["fr", "en"])
def test_forbidden_has_the_layout_and_says_nothing_of_the_reason(
    member: Any, language: str
) -> None:
    page = _client(member, language).get("/test-forbidden/")
    assert page.status_code == 403
    html = page.content.decode()
    assert f'<html lang="{language}">' in html
    assert WORDS[language][403] in html
    assert WORDS[language]["nav"] in html
    assert "the secret reason" not in html


@pytest.mark.parametrize("language", ["fr", "en"])
def test_server_error_in_the_layout_and_the_language(member: Any, language: str) -> None:
    client = _client(member, language)
    client.raise_request_exception = False
    page = client.get("/test-broken/")
    assert page.status_code == 500
    html = page.content.decode()
    assert f'<html lang="{language}">' in html
    assert 'class="topbar"' in html
    assert WORDS[language][500] in html
    assert WORDS[language]["home"] in html
    assert "the secret traceback" not in html
    assert "RuntimeError" not in html


@pytest.mark.parametrize("language", ["fr", "en"])
def test_server_error_page_renders_without_a_request_context(
    language: str, django_assert_num_queries: Any
) -> None:
    # Django renders 500.html with an empty context: no user, no request, no database.
    request = RequestFactory().get("/anything/")
    with translation.override(language), django_assert_num_queries(0):
        page = server_error(request)
    assert page.status_code == 500
    assert WORDS[language][500] in page.content.decode()
