"""`liaison intake eval`: score the pipeline against annotated documents."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError


def add_parser(sub: Any, command: BaseCommand) -> None:
    sub.add_parser("eval", help="score the pipeline against annotated documents")


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    raise CommandError("not built yet")
