"""`liaison intake extract FILE... --format json`: print what the pipeline reads, one
JSON object per document and line, touching nothing in the database (it may read the
records a named user can see, to recognise them: --user; --no-db skips that)."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


def add_parser(sub: Any, command: BaseCommand) -> None:
    parser = sub.add_parser("extract", help="print what the pipeline reads, touching nothing")
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument("--format", choices=["json", "text"], default="json")
    parser.add_argument(
        "--user", help="recognise the records this user may see (read-only database access)"
    )
    parser.add_argument("--no-db", action="store_true", help="do not read the database")
    parser.add_argument("--published", help="publication date YYYY-MM-DD, for relative dates")
    parser.add_argument("--url", default="", help="where the document comes from")


def _gazetteer(options: dict[str, Any]) -> Any:
    if options.get("no_db") or not options.get("user"):
        return None
    from django.contrib.auth import get_user_model
    from django.db import DatabaseError

    from liaison.intake.gazetteer import gazetteer_for

    try:
        user = get_user_model().objects.get(username=options["user"])
    except get_user_model().DoesNotExist as exc:
        raise CommandError(_("No user named %(name)s.") % {"name": options["user"]}) from exc
    except DatabaseError as exc:
        raise CommandError(_("The database cannot be read: %(error)s") % {"error": exc}) from exc
    return gazetteer_for(user)


def _text(extraction: Any) -> str:
    data = extraction.to_json()
    lines = [f"# {data['source']} ({data['language']})"]
    for o in data["organizations"]:
        lines.append(f"ORG   {o['name']}" + (f" ({o['acronym']})" if o["acronym"] else ""))
    for p in data["persons"]:
        extra = ", ".join(x for x in (p["title_or_rank"], p["organization"]) if x)
        lines.append(f"PER   {p['name']}" + (f" [{extra}]" if extra else ""))
    for p in data["places"]:
        lines.append(f"LOC   {p['name']}")
    for d in data["dates"]:
        flags = f" !{','.join(d['flags'])}" if d["flags"] else ""
        lines.append(f"DATE  {d['text']} → {d['iso_start']}..{d['iso_end']}{flags}")
    for a in data["activities"]:
        lines.append(f"ACT   {a['type']} {a['start'] or ''} {a['summary'][:80]}")
    return "\n".join(lines)


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    from liaison.intake.pipeline import IntakeInputError, extract

    published = None
    if options.get("published"):
        try:
            published = datetime.date.fromisoformat(options["published"])
        except ValueError as exc:
            raise CommandError(
                _("--published must be a date YYYY-MM-DD, not %(value)s.")
                % {"value": options["published"]}
            ) from exc
    gazetteer = _gazetteer(options)
    failed = 0
    for name in options["files"]:
        path = Path(name)
        try:
            content = path.read_bytes()
        except OSError as exc:
            command.stderr.write(f"{name}: {exc.strerror or exc}")
            failed += 1
            continue
        try:
            extraction = extract(
                content,
                filename=path.name,
                gazetteer=gazetteer,
                published=published,
                url=options.get("url", ""),
            )
        except IntakeInputError as exc:
            command.stderr.write(f"{name}: {exc}")
            failed += 1
            continue
        if options["format"] == "json":
            command.stdout.write(json.dumps(extraction.to_json(), ensure_ascii=False))
        else:
            command.stdout.write(_text(extraction))
    if failed:
        raise CommandError(
            _("%(count)d of %(total)d documents could not be read.")
            % {"count": failed, "total": len(options["files"])}
        )
