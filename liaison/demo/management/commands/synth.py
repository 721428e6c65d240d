"""`liaison synth --scale small|medium|large [--seed N]`: synthetic data for benchmarks."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from liaison.core.context import acting_as
from liaison.demo.synth import SCALES, synthesize


class Command(BaseCommand):
    help = "Fill the database with deterministic synthetic data (adds to what is there)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, scale: str, seed: int, **options: Any) -> None:
        def log(line: str) -> None:
            if options["verbosity"] >= 1:
                self.stdout.write(line)

        with acting_as(None, channel="command"):
            counts = synthesize(scale, seed, log)
        for label, n in counts.rows.items():
            log(f"{label:40} {n:>10,}")
        self.stdout.write(_("%(n)s rows written.") % {"n": f"{counts.total:,}"})
