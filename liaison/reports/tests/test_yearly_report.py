"""The yearly report follows its year in every section, on the example workspace of the
demo (synthetic, small scale) and on the two sample documents' world; English reports
read English names and day-first dates."""

from __future__ import annotations

import re
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import translation
from pytest_django import DjangoDbBlocker

from liaison.core.models import Workspace
from liaison.demo.example import EXAMPLE_SLUG, load_example
from liaison.demo.loader import load_demo
from liaison.reports.pdf import render_html, report_context, workspace_view
from liaison.reports.tests.needs_pdf import needs_pdf
from liaison.reports.tests.test_analysis import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def worlds(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """The demo and its example workspace, loaded once for the module; rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        load_example()
        yield
        transaction.set_rollback(True)


def summary(slug: str, year: int) -> dict[str, str]:
    workspace = Workspace.objects.get(slug=slug)
    with translation.override("en"), workspace_view(workspace) as reader:
        context = report_context(reader, workspace, year)
    return {str(label): value for label, value in context["summary"]}


def html_text(slug: str, year: int, language: str) -> str:
    workspace = Workspace.objects.get(slug=slug)
    with workspace_view(workspace) as reader:
        html = render_html(reader, workspace, year, language)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def figures_in(text: str) -> str:
    """The summary chapter of a report's text: its figures."""
    return text[text.index("Activities under way in the year") : text.index("2. Portfolio")]


def test_two_years_of_the_example_give_different_figures(worlds: None) -> None:
    old, new = summary(EXAMPLE_SLUG, 2019), summary(EXAMPLE_SLUG, 2025)
    assert old != new
    # Each year has activities and trainees of its own: the example fills the report.
    for figures in (old, new):
        assert int(figures["Activities under way in the year"].replace(",", "")) > 0
    assert int(new["Trainees"].replace(",", "")) > 0


@needs_pdf
def test_the_pdf_of_two_years_of_the_example_differ(worlds: None, tmp_path: Any) -> None:
    texts = {}
    for year in (2019, 2025):
        out = tmp_path / f"example-{year}.pdf"
        call_command(
            "report", workspace=EXAMPLE_SLUG, year=year, lang="en", out=str(out), stdout=StringIO()
        )
        texts[year] = " ".join(pdf_text(out).split())
    assert "Example — fictitious data" in texts[2019]
    assert figures_in(texts[2019]) != figures_in(texts[2025])
    assert "Activity report 2019" in texts[2019]
    assert "Activity report 2025" in texts[2025]


def test_the_2016_report_shows_neither_later_context_nor_later_reach(worlds: None) -> None:
    text = html_text("mcd-mali", 2016, "en")
    # The French page's actions are under way in 2016: in the report, as a year.
    assert "Activities under way in the year 12" in text
    assert "01/01/2016" not in text
    # No context event of 2020-2025 (the demo's are all later than 2016).
    assert "Rubio" not in text
    assert "2022" not in text
    assert "2025" not in text
    # Nothing reached in 2016 by the law-of-armed-conflict training of 2025.
    assert re.search(r"\b0 of \d+ units", text), "no reach in 2016"
    later = html_text("osc-mali", 2025, "en")
    reach = re.search(r"\b(\d+) of (\d+) units", later)
    assert reach is not None
    assert int(reach[1]) >= 2, "the 2025 training reached units"
    assert "Rubio" in later


def test_the_english_report_reads_english_names_and_day_first_dates(worlds: None) -> None:
    english = html_text("osc-mali", 2025, "en")
    assert "Malian Armed Forces (FAMa)" in english
    assert "Forces armées maliennes" not in english
    assert "11/02/2025" in english  # Hegseth's visit, 11 February 2025: not 02/11/2025
    assert "02/11/2025" not in english
    assert "February 2025" in english  # the training event, known to the month
    french = html_text("osc-mali", 2025, "fr")
    assert "Forces armées maliennes (FAMa)" in french
    assert "février 2025" in french


def test_the_example_loads_once(worlds: None) -> None:
    workspace = Workspace.objects.get(slug=EXAMPLE_SLUG)
    assert "fictitious" in workspace.name
    assert "fictives" in workspace.name
    again = load_example()
    assert not again.created
    assert again.rows == 0
