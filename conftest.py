"""Test-wide fixtures and the report of what this run could not test."""

from __future__ import annotations

import os

import pytest
from django.db import connection


def pytest_report_header(config: pytest.Config) -> list[str]:
    url = os.environ.get("DATABASE_URL", "")
    database = "PostgreSQL" if url.startswith(("postgres", "postgis")) else "SQLite"
    lines = [f"liaison: testing against {database}"]
    if database == "SQLite":
        lines.append(
            "liaison: PostgreSQL not tested in this run; set "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/liaison to test it too"
        )
    return lines


@pytest.fixture
def on_postgres() -> bool:
    return connection.vendor == "postgresql"
