"""`liaison intake eval`: its counts agree with ../shared/tools/intake-score on the same
predictions, its splits (dev/test) and its cross-validation over documents."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from liaison.intake import evaluation

from .conftest import CORPUS

ROOT = Path(__file__).parents[3]
REAL = ROOT / "bench" / "data" / "intake_corpus"
# The shared scorer lives beside the repository (in CI too); without it, nothing to compare.
SCORER = ROOT.parent / "shared" / "tools" / "intake-score"
needs_scorer = pytest.mark.skipif(not SCORER.exists(), reason="../shared/tools/intake-score absent")


def shared_counts(
    gold_dir: Path, predictions: list[dict[str, Any]], tmp: Path
) -> dict[str, tuple[int, int, int]]:
    """(tp, gold, predicted) per kind, as printed by the shared scorer."""
    pred_file = tmp / "predictions.jsonl"
    pred_file.write_text("".join(json.dumps(p) + "\n" for p in predictions), encoding="utf-8")
    out = subprocess.run(
        [sys.executable, str(SCORER), str(gold_dir), str(pred_file)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    rows = re.findall(r"^(\w+)\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+(\d+)/(\d+)/(\d+)$", out, re.M)
    return {kind: (int(tp), int(g), int(p)) for kind, tp, g, p in rows}


def our_counts(report: evaluation.Report) -> dict[str, tuple[int, int, int]]:
    return {k: (s.tp, s.tp + s.fn, s.tp + s.fp) for k, s in report.kinds.items()}


def write_doc(directory: Path, name: str, gold: dict[str, Any], text: str = "text") -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{name}.txt").write_text(text, encoding="utf-8")
    (directory / f"{name}.json").write_text(json.dumps({"gold": gold}), encoding="utf-8")


GOLD = {
    "organizations": [
        {"name": "United States Africa Command", "acronym": "AFRICOM"},
        {"name": "Ghana Armed Forces (GAF)"},
        {"name": "Kenya Defence Forces", "aliases": ["KDF"]},
    ],
    "persons": [
        {"name": "Bismark Onwona", "title_or_rank": "Major General"},
        {"name": "Théo Ndiaye", "title_or_rank": "Ambassador; Head of Mission"},
        {"name": "Alice Hadden", "title_or_rank": ""},
    ],
    "places": [{"name": "Accra"}, {"name": "Burma Camp"}],
    "countries_as_actors": ["Ghana", "Accra"],
    "dates": [
        {"text": "on Thursday", "iso_start": "2024-04-18", "iso_end": None},
        {"text": "7-18 June", "iso_start": "2021-06-07", "iso_end": "2021-06-18"},
        {"text": "in May", "iso_start": None, "iso_end": None},
    ],
    "activities": [
        {"type": "equipment", "start": "2024-04-18"},
        {"type": "training", "start": None},
        {"type": "exercise", "start": "2021-06-07"},
    ],
}
PRED = {
    "organizations": [
        {"name": "AFRICOM"},
        {"name": "the GAF"},
        {"name": "Ghana Armed Forces"},
        {"name": "Press Release"},
        {"name": "kdf", "acronym": ""},
    ],
    "persons": [
        {"name": "Bismark Onwona", "title_or_rank": "General"},
        {"name": "Theo Ndiaye", "title_or_rank": "Head of Mission"},
        {"name": "Alice Hadden", "title_or_rank": "Ms"},
        {"name": "Alice Hadden", "title_or_rank": ""},
    ],
    "places": [{"name": "Ghana"}, {"name": "accra"}, {"name": "Nairobi"}],
    "dates": [
        {"iso_start": "2024-04-18", "iso_end": None},
        {"iso_start": "2024-04-18", "iso_end": "2024-04-18"},
        {"iso_start": "2021-06-07", "iso_end": "2021-06-08"},
        {"iso_start": None},
    ],
    "activities": [
        {"type": "equipment", "start": "2024-04-30"},
        {"type": "training", "start": "2019-01-01"},
        {"type": "exercise", "start": None},
        {"type": "visit", "start": None},
    ],
}


def test_counts_of_a_hand_made_document() -> None:
    scores = evaluation.score_document(GOLD, PRED)
    counts = {k: (s.tp, s.fp, s.fn) for k, s in scores.items()}
    # "the GAF" takes the parenthesised acronym; "Ghana Armed Forces" then finds nothing left.
    assert counts["organizations"] == (3, 2, 0)
    # Names without accents; a duplicate prediction is a false positive.
    assert counts["persons"] == (3, 1, 0)
    # "General" is part of "Major General", "Head of Mission" one of two titles.
    assert counts["ranks"] == (2, 0, 0)
    # Ghana acts: proposed as a place it counts neither way; Accra is a place too.
    assert counts["places"] == (1, 1, 1)
    # A missing end is the start; a date without ISO start is not counted.
    assert counts["dates"] == (1, 2, 1)
    # Same type and start month; a gold activity without start takes any start.
    assert counts["activities"] == (2, 2, 1)


@needs_scorer
def test_hand_made_counts_agree_with_intake_score(tmp_path: Path) -> None:
    write_doc(tmp_path / "gold", "one", GOLD)
    write_doc(tmp_path / "gold", "two", {**GOLD, "countries_as_actors": []})
    predictions = [{**PRED, "source": "one.txt"}, {**PRED, "source": "two.txt"}]
    by_name = {p["source"]: p for p in predictions}
    report = evaluation.evaluate(tmp_path / "gold", lambda path, _: by_name[path.name])
    assert our_counts(report) == shared_counts(tmp_path / "gold", predictions, tmp_path)


@needs_scorer
def test_pipeline_scores_agree_with_intake_score_on_the_composed_corpus(
    tmp_path: Path, spacy_model: Any
) -> None:
    predictions: list[dict[str, Any]] = []
    report = evaluation.evaluate(CORPUS, predictions=predictions)
    assert len(predictions) == len(report.documents) >= 8
    shared = shared_counts(CORPUS, predictions, tmp_path)
    assert our_counts(report) == shared
    assert sum(tp for tp, _, _ in shared.values()) > 0


def test_corpus_reads_its_splits(tmp_path: Path) -> None:
    for split, stems in (("dev", ["a", "b"]), ("test", ["c"])):
        for stem in stems:
            write_doc(tmp_path / split, stem, GOLD)

    def names(pairs: evaluation.Pairs) -> list[str]:
        return [p.stem for p, _ in pairs]

    assert names(evaluation.corpus(tmp_path)) == ["a", "b", "c"]
    assert names(evaluation.corpus(tmp_path, "test")) == ["c"]
    assert names(evaluation.corpus(tmp_path, "dev")) == ["a", "b"]
    assert names(evaluation.corpus(tmp_path / "dev", "all")) == ["a", "b"]


def test_each_fold_learns_from_the_other_folds_only(tmp_path: Path) -> None:
    for name in "abcdefg":
        write_doc(tmp_path, name, GOLD)
    pairs = evaluation.corpus(tmp_path)
    seen: list[tuple[set[str], set[str]]] = []

    def learner(training: evaluation.Pairs) -> evaluation.Extractor:
        learned = {p.stem for p, _ in training}

        def run(path: Path, annotation: dict[str, Any]) -> dict[str, Any]:
            seen[-1][1].add(path.stem)
            return PRED

        seen.append((learned, set()))
        return run

    cross = evaluation.cross_validate(pairs, 3, learner=learner)
    assert cross.learned
    assert len(seen) == 3
    for learned, held_out in seen:
        assert held_out
        assert not held_out & learned
        assert held_out | learned == set("abcdefg")
    assert sorted(n for _, held in seen for n in held) == list("abcdefg")
    # Every document scores as PRED does: the same F1 in every fold, sd 0.
    mean, sd = cross.mean_sd("activities")
    assert sd == 0.0
    assert mean == pytest.approx(evaluation.score_document(GOLD, PRED)["activities"].f1)


def test_eval_command_folds_on_three_real_documents(tmp_path: Path, spacy_model: Any) -> None:
    """The CI run of the real corpus: three documents of its test split, three folds."""
    docs = sorted(REAL.glob("test/*.json"))[:3]
    assert len(docs) == 3
    for doc in docs:
        for part in (doc, doc.with_suffix(".txt")):
            (tmp_path / "test").mkdir(exist_ok=True)
            shutil.copy(part, tmp_path / "test" / part.name)
    out = io.StringIO()
    predictions = tmp_path / "predictions.jsonl"
    call_command(
        "intake", "eval", str(tmp_path), "--split", "test", "--folds", "3",
        "--predictions", str(predictions), stdout=out,
    )  # fmt: skip
    text = out.getvalue()
    assert "Nothing is learned from the corpus" in text
    assert "mean ± sd" in text
    assert "fold 3" in text
    figures = json.loads(text.strip().splitlines()[-1])
    cross = figures["cross_validation"]
    assert figures["documents"] == 3
    assert cross["folds"] == 3
    assert cross["documents"] == [1, 1, 1]
    assert not cross["learned_from_corpus"]
    for kind in (*evaluation.KINDS, "overall"):
        per_fold = cross[kind]["f1_per_fold"]
        assert len(per_fold) == 3
        assert cross[kind]["mean"] == pytest.approx(sum(per_fold) / 3, abs=0.002)
    lines = predictions.read_text(encoding="utf-8").splitlines()
    assert sorted(json.loads(line)["source"] for line in lines) == [
        d.with_suffix(".txt").name for d in docs
    ]


def test_eval_command_refuses_bad_folds_and_empty_splits(tmp_path: Path) -> None:
    write_doc(tmp_path / "test", "a", GOLD)
    write_doc(tmp_path / "test", "b", GOLD)
    with pytest.raises(CommandError, match="between 2 and the number of documents"):
        call_command("intake", "eval", str(tmp_path), "--folds", "3", stdout=io.StringIO())
    with pytest.raises(CommandError, match="between 2 and the number of documents"):
        call_command("intake", "eval", str(tmp_path), "--folds", "1", stdout=io.StringIO())
    with pytest.raises(CommandError, match="holds no annotated document"):
        call_command("intake", "eval", str(tmp_path), "--split", "dev", stdout=io.StringIO())


def test_real_corpus_splits_are_apart() -> None:
    """The fixed test split keeps at least 10 English documents, none also in dev."""
    dev = {p.stem for p, _ in evaluation.corpus(REAL, "dev")}
    test = {p.stem for p, _ in evaluation.corpus(REAL, "test")}
    assert len({n for n in test if n.startswith("en-")}) >= 10
    assert not dev & test
