"""Browser tests: Debian's Chromium driven by Playwright, against a live Liaison.

Skipped, with the reason in the report, where Chromium or Playwright is missing
(`.ci/run` installs both). Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; the tests' own ORM calls
# (fixtures) are synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

try:
    from playwright.sync_api import Browser, Page, sync_playwright
except ImportError:  # pragma: no cover - the dev extras install it
    sync_playwright = None  # type: ignore[assignment]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = None
    if sync_playwright is None:
        reason = "playwright is not installed"
    elif not Path(CHROMIUM).exists():
        reason = "Chromium is not installed (apt-get install chromium)"
    if reason:
        for item in items:
            if "/e2e/" in str(item.fspath):
                item.add_marker(pytest.mark.skip(reason=f"browser tests skipped: {reason}"))


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--headless",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1360, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def shoot(page: Page) -> Any:
    """shoot("name"): a full-page screenshot to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def demo(transactional_db: None) -> None:
    """The demo data, loaded into the live server's database.

    Transactional tests empty every table afterwards, reference data included, so the
    countries and markings that migrations load are put back first (faster than
    pytest-django's serialized rollback).
    """
    from django.core.management import call_command

    from liaison.core.markings import ensure_default_markings
    from liaison.core.models import Marking
    from liaison.geo.loading import load_countries
    from liaison.geo.models import Country, Subdivision

    if not Country.objects.exists():
        load_countries(Country, Subdivision)
    ensure_default_markings(Marking)
    # Without the example workspace (test_example.py has it): ten seconds saved a test.
    call_command("demo", "--no-example", stdout=open(os.devnull, "w"))  # noqa: SIM115


def login(page: Page, base_url: str, username: str, password: str = "liaison-demo") -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form.login button[type=submit]")
    page.wait_for_load_state("networkidle")
