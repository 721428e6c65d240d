"""Fixtures and reports shared by the tests of tests/."""

from __future__ import annotations

import pytest


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """How much the canary crawler (tests/test_canary.py) checked, when it ran."""
    from tests.canary import SUMMARY

    if SUMMARY:
        terminalreporter.write_line(
            "canary: {urls} URLs, {answers} answers checked ({files} files), {leaks} leaks, "
            "{errors} errors, {seconds} s".format(**SUMMARY)
        )
