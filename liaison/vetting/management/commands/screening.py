"""`liaison screening import FILE --list NAME [--format ftm|ofac-csv]` and
`liaison screening match (--name NAME [--birth-date D] [--country CC] | --names-file F)`."""

from __future__ import annotations

import csv
import datetime
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = "Sanctions screening: import a list, or match names against the imported lists."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Import a list file (again): new, changed, gone.")
        imp.add_argument("file")
        imp.add_argument("--list", required=True, dest="list_name")
        imp.add_argument("--format", choices=["ftm", "ofac-csv"], default=None)
        imp.add_argument(
            "--no-screen", action="store_true", help="Do not screen everyone afterwards."
        )
        match = sub.add_parser("match", help="Score names against the imported lists.")
        who = match.add_mutually_exclusive_group(required=True)
        who.add_argument("--name")
        who.add_argument("--names-file", help="CSV with columns name, birth_date, country.")
        match.add_argument("--birth-date")
        match.add_argument("--country", action="append", default=[])
        match.add_argument("--kind", choices=["any", "person", "organization"], default="any")
        match.add_argument("--threshold", type=float, default=None)
        match.add_argument("--format", choices=["json", "text"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import":
            self.do_import(options)
        else:
            self.do_match(options)

    def do_import(self, options: dict[str, Any]) -> None:
        from liaison.core.tasks import start
        from liaison.vetting.screening.formats import ListFormatError, guess_format
        from liaison.vetting.screening.importer import import_list
        from liaison.vetting.screening.tasks import screen_everyone_task

        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        fmt = options["format"] or guess_format(path)
        try:
            summary = import_list(path, options["list_name"], fmt)
        except ListFormatError as exc:
            raise CommandError(
                _("%(file)s: %(error)s; nothing was imported.") % {"file": path.name, "error": exc}
            ) from exc
        self.stdout.write(
            _(
                "%(list)s: %(entities)s entities; %(new)s new, %(changed)s changed, "
                "%(removed)s gone, %(unchanged)s unchanged."
            )
            % summary
        )
        if not options["no_screen"]:
            run = start(screen_everyone_task, kind="screening", label=summary["list"])
            result = run.result or {}
            self.stdout.write(
                _(
                    "Screening: %(screened)s persons and organisations; %(raised)s hits "
                    "raised, %(updated)s updated, %(withdrawn)s withdrawn."
                )
                % {k: result.get(k, 0) for k in ("screened", "raised", "updated", "withdrawn")}
                if run.status == run.Status.DONE
                else _("Screening task #%(id)s: %(status)s") % {"id": run.pk, "status": run.status}
            )

    def do_match(self, options: dict[str, Any]) -> None:
        from liaison.vetting.screening import explain
        from liaison.vetting.screening.matcher import Query
        from liaison.vetting.screening.service import current_index, threshold

        index = current_index()
        limit = options["threshold"] if options["threshold"] is not None else threshold()

        def run(name: str, birth: str | None, countries: list[str]) -> dict[str, Any]:
            if birth:
                try:
                    datetime.date.fromisoformat(birth) if len(birth) == 10 else int(birth)
                except ValueError as exc:
                    raise CommandError(
                        _("Birth date %(value)s: use YYYY-MM-DD or YYYY.") % {"value": birth}
                    ) from exc
            codes = [c.strip().lower() for c in countries if c and c.strip()]
            query = Query([name], birth or None, codes, options["kind"])
            hits = index.search(query, limit)
            return {
                "query": {"name": name, "birth_date": birth or None, "country": codes},
                "threshold": limit,
                "hits": [
                    {**h.as_dict(), "explanation": explain.render(h.explanation)} for h in hits
                ],
            }

        if options["name"]:
            result = run(options["name"], options["birth_date"], options["country"])
            if options["format"] == "json":
                self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            else:
                self._text(result)
            return
        path = Path(options["names_file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            if not reader.fieldnames or "name" not in reader.fieldnames:
                raise CommandError(_("The CSV needs a header with name, birth_date, country."))
            for lineno, row in enumerate(reader, start=2):
                name = (row.get("name") or "").strip()
                if not name:
                    raise CommandError(_("Line %(line)s: no name.") % {"line": lineno})
                country = (row.get("country") or "").strip()
                result = run(name, (row.get("birth_date") or "").strip(), [country])
                result["line"] = lineno
                self.stdout.write(json.dumps(result, ensure_ascii=False))

    def _text(self, result: dict[str, Any]) -> None:
        for hit in result["hits"]:
            self.stdout.write(f"{hit['score']:.3f}  {hit['caption']}  [{hit['entity_id']}]")
            self.stdout.write(f"       {hit['explanation']}")
