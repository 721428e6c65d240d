"""`liaison intake add FILE...`, `liaison intake extract FILE... --format json` and
`liaison intake eval DIR` (issue 6): each subcommand lives in its own module."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Read documents into proposed records: add, extract, eval."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        from liaison.intake.commands import add, evaluate, extract

        for module in (add, extract, evaluate):
            module.add_parser(sub, self)

    def handle(self, *args: Any, **options: Any) -> None:
        from liaison.intake.commands import add, evaluate, extract

        runners = {"add": add.run, "extract": extract.run, "eval": evaluate.run}
        runners[options["action"]](self, options)
