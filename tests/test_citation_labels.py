"""A record's page names the field a citation supports as its reader knows it (issue 21:
"raw field names in citations"), in French and English."""

from __future__ import annotations

import pytest

from liaison.core.choices import Role
from liaison.core.tests.pages import client_for, member
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "label"), [("fr", "nom complet"), ("en", "full name")])
def test_a_citation_names_its_field_by_its_verbose_name(language: str, label: str) -> None:
    workspace = f.workspace()
    person = f.person(owner=workspace, full_name="Harouna Haïdara")
    source = f.source(owner=workspace, title="Article du 12 février 2025")
    f.citation(record=person, source=source, field="full_name", quote="Harouna Haïdara")
    client = client_for(member(Role.VIEWER, workspace))
    page = client.get(person.get_absolute_url(), headers={"accept-language": language})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Article du 12 février 2025" in text
    assert f"· {label}" in text.lower()
    assert "· full_name" not in text
