"""`liaison intake eval DIR`: score the pipeline against annotated documents; prints
precision, recall and F1 per kind and overall, then the same figures as one JSON line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


def add_parser(sub: Any, command: BaseCommand) -> None:
    parser = sub.add_parser("eval", help="score the pipeline against annotated documents")
    parser.add_argument("directory", metavar="DIR")
    parser.add_argument(
        "--spacy-alone",
        action="store_true",
        help="score spaCy's NER alone (no rules, gazetteer or cleaning), for comparison",
    )
    parser.add_argument(
        "--per-document", action="store_true", help="also print each document's figures"
    )


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    from liaison.intake import evaluation

    directory = Path(options["directory"])
    if not directory.is_dir():
        raise CommandError(_("%(dir)s is not a directory.") % {"dir": directory})
    if not evaluation.corpus(directory):
        raise CommandError(
            _("%(dir)s holds no annotated document (NAME.txt or .html with NAME.json).")
            % {"dir": directory}
        )
    extractor = evaluation.spacy_alone_extractor if options.get("spacy_alone") else None
    report = evaluation.evaluate(directory, extractor)
    if options.get("per_document"):
        for doc in report.documents:
            command.stdout.write(json.dumps(doc, ensure_ascii=False))
    title = "spaCy alone" if options.get("spacy_alone") else "pipeline"
    command.stdout.write(report.table(f"{title}: {len(report.documents)} documents"))
    command.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
