"""`liaison intake eval DIR`: score the pipeline against annotated documents; prints
precision, recall and F1 per kind and overall, then the same figures as one JSON line.

`--split dev|test|all` reads one part of a corpus split in dev/ and test/
(bench/data/intake_corpus); `--folds K` cross-validates over documents and prints each
fold's F1 per kind and their mean ± sd; `--predictions FILE` writes what was extracted,
one JSON line per document, in the form ../shared/tools/intake-score reads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


def add_parser(sub: Any, command: BaseCommand) -> None:
    from liaison.intake.evaluation import SPLITS

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
    parser.add_argument(
        "--split",
        choices=SPLITS,
        help="score DIR/dev or DIR/test only, or both (all); by default DIR's own documents,"
        " or all of its subdirectories' when it has none",
    )
    parser.add_argument(
        "--folds",
        type=int,
        metavar="K",
        help="cross-validate over documents in K folds: per-fold and mean ± sd F1 per kind",
    )
    parser.add_argument(
        "--predictions",
        metavar="FILE",
        help="write the predictions (JSON lines) for ../shared/tools/intake-score",
    )


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    from liaison.intake import evaluation

    directory = Path(options["directory"])
    if not directory.is_dir():
        raise CommandError(_("%(dir)s is not a directory.") % {"dir": directory})
    pairs = evaluation.corpus(directory, options.get("split"))
    if not pairs:
        raise CommandError(
            _("%(dir)s holds no annotated document (NAME.txt or .html with NAME.json).")
            % {"dir": directory}
        )
    folds = options.get("folds")
    if folds is not None and not 2 <= folds <= len(pairs):
        raise CommandError(
            _("--folds must be between 2 and the number of documents (%(count)d).")
            % {"count": len(pairs)}
        )
    extractor = evaluation.spacy_alone_extractor if options.get("spacy_alone") else None
    predictions: list[dict[str, Any]] = []
    title = "spaCy alone" if options.get("spacy_alone") else "pipeline"
    cross = None
    if folds:
        cross = evaluation.cross_validate(
            pairs, folds, extractor=extractor, predictions=predictions
        )
        report = evaluation.Report()
        for fold in cross.folds:
            for kind, score in fold.kinds.items():
                report.kinds[kind].add(score)
            report.documents += fold.documents
        if not cross.learned:
            command.stdout.write(
                _(
                    "Nothing is learned from the corpus (hand-written rules, gazetteer from"
                    " the database): every fold scores the same extractor, and the folds"
                    " show how the figures vary across documents."
                )
            )
        command.stdout.write(cross.table(f"{title}: {folds} folds, F1 per fold"))
    else:
        report = evaluation.evaluate(pairs, extractor, predictions)
    if options.get("predictions"):
        with Path(options["predictions"]).open("w", encoding="utf-8") as out:
            for pred in predictions:
                out.write(json.dumps(pred, ensure_ascii=False) + "\n")
    if options.get("per_document"):
        for doc in report.documents:
            command.stdout.write(json.dumps(doc, ensure_ascii=False))
    command.stdout.write(report.table(f"{title}: {len(report.documents)} documents"))
    figures = report.as_dict()
    if cross is not None:
        figures["cross_validation"] = cross.as_dict()
    command.stdout.write(json.dumps(figures, ensure_ascii=False))
