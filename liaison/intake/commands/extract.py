"""`liaison intake extract`: print what the pipeline reads, touching nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError


def add_parser(sub: Any, command: BaseCommand) -> None:
    sub.add_parser("extract", help="print what the pipeline reads, touching nothing")


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    raise CommandError("not built yet")
