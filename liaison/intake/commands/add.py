"""`liaison intake add`: queue documents for review."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError


def add_parser(sub: Any, command: BaseCommand) -> None:
    sub.add_parser("add", help="queue documents for review")


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    raise CommandError("not built yet")
