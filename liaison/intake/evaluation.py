"""Scoring an extraction against annotated documents (`liaison intake eval DIR`).

A corpus directory holds pairs NAME.txt (or .html, .pdf, .docx) and NAME.json
``{"gold": {same keys as the extract JSON}, "published": "YYYY-MM-DD"?}``. Entities
count once per document. Names are compared without case, accents and punctuation; an
organisation matches when any of its name, acronym and aliases matches one of the gold
organisation's; a person's rank or title is scored apart from the name ("ranks");
dates by their ISO start and end; activities by type and start.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from liaison.core.text import name_key

KINDS = ("organizations", "persons", "ranks", "places", "dates", "activities")
_EXTENSIONS = (".txt", ".html", ".htm", ".pdf", ".docx")


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0 if not self.fn else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0 if not self.fp else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass
class Report:
    kinds: dict[str, Score] = field(default_factory=lambda: {k: Score() for k in KINDS})
    documents: list[dict[str, Any]] = field(default_factory=list)

    @property
    def overall(self) -> Score:
        total = Score()
        for s in self.kinds.values():
            total.add(s)
        return total

    def as_dict(self) -> dict[str, Any]:
        return {
            "documents": len(self.documents),
            **{k: s.as_dict() for k, s in self.kinds.items()},
            "overall": self.overall.as_dict(),
        }

    def table(self, title: str = "") -> str:
        lines = [title] if title else []
        lines.append(
            f"{'kind':<14}{'precision':>10}{'recall':>8}{'F1':>7}{'tp':>6}{'fp':>5}{'fn':>5}"
        )
        for name, s in [*self.kinds.items(), ("overall", self.overall)]:
            lines.append(
                f"{name:<14}{s.precision:>10.3f}{s.recall:>8.3f}{s.f1:>7.3f}{s.tp:>6}{s.fp:>5}{s.fn:>5}"
            )
        return "\n".join(lines)


def _keys(
    entry: dict[str, Any], fields: Iterable[str] = ("name", "acronym", "aliases")
) -> set[str]:
    out: set[str] = set()
    for f in fields:
        value = entry.get(f)
        values = value if isinstance(value, list) else [value]
        out.update(name_key(v) for v in values if isinstance(v, str) and name_key(v))
    return out


def _match_sets(gold: list[set[str]], pred: list[set[str]]) -> Score:
    """Each prediction matches at most one gold entity (any shared key), each gold once."""
    used: set[int] = set()
    tp = 0
    for p in pred:
        for i, g in enumerate(gold):
            if i not in used and p & g:
                used.add(i)
                tp += 1
                break
    return Score(tp=tp, fp=len(pred) - tp, fn=len(gold) - tp)


def _title_match(gold: str, pred: str) -> bool:
    g, p = name_key(gold), name_key(pred)
    return bool(g and p) and (g == p or f" {g} " in f" {p} " or f" {p} " in f" {g} ")


def score_document(gold: dict[str, Any], pred: dict[str, Any]) -> dict[str, Score]:
    scores: dict[str, Score] = {}
    scores["organizations"] = _match_sets(
        [_keys(o) for o in gold.get("organizations", [])],
        [_keys(o) for o in pred.get("organizations", [])],
    )
    gold_persons = gold.get("persons", [])
    pred_persons = pred.get("persons", [])
    scores["persons"] = _match_sets(
        [_keys(p, ("name", "aliases")) for p in gold_persons],
        [_keys(p, ("name",)) for p in pred_persons],
    )
    # Ranks and titles, apart from names: a pair counts when both name and title match.
    ranked_gold = [p for p in gold_persons if p.get("title_or_rank")]
    ranked_pred = [p for p in pred_persons if p.get("title_or_rank")]
    used: set[int] = set()
    tp = 0
    for p in ranked_pred:
        for i, g in enumerate(ranked_gold):
            if (
                i not in used
                and _keys(p, ("name",)) & _keys(g, ("name", "aliases"))
                and _title_match(g["title_or_rank"], p["title_or_rank"])
            ):
                used.add(i)
                tp += 1
                break
    scores["ranks"] = Score(tp, len(ranked_pred) - tp, len(ranked_gold) - tp)
    scores["places"] = _match_sets(
        [_keys(p, ("name", "aliases")) for p in gold.get("places", [])],
        [_keys(p, ("name",)) for p in pred.get("places", [])],
    )

    def date_set(items: list[dict[str, Any]]) -> set[tuple[str, str]]:
        return {
            (d["iso_start"], d.get("iso_end") or d["iso_start"])
            for d in items
            if d.get("iso_start")
        }

    gd, pd = date_set(gold.get("dates", [])), date_set(pred.get("dates", []))
    scores["dates"] = Score(len(gd & pd), len(pd - gd), len(gd - pd))
    ga = {(a["type"], a.get("start")) for a in gold.get("activities", [])}
    pa = {(a["type"], a.get("start")) for a in pred.get("activities", [])}
    scores["activities"] = Score(len(ga & pa), len(pa - ga), len(ga - pa))
    return scores


def corpus(directory: str | Path) -> list[tuple[Path, dict[str, Any]]]:
    """(document path, annotation) for every annotated document of the directory."""
    base = Path(directory)
    pairs = []
    for annotation in sorted(base.glob("*.json")):
        for ext in _EXTENSIONS:
            doc = annotation.with_suffix(ext)
            if doc.exists():
                pairs.append((doc, json.loads(annotation.read_text(encoding="utf-8"))))
                break
    return pairs


Extractor = Callable[[Path, dict[str, Any]], dict[str, Any]]


def pipeline_extractor(gazetteer: Any = None) -> Extractor:
    from liaison.intake.pipeline import extract

    def run(path: Path, annotation: dict[str, Any]) -> dict[str, Any]:
        published = annotation.get("published")
        return extract(
            path.read_bytes(),
            filename=path.name,
            gazetteer=gazetteer,
            published=datetime.date.fromisoformat(published) if published else None,
        ).to_json()

    return run


def spacy_alone_extractor(
    path: Path, annotation: dict[str, Any], model: str | None = None
) -> dict[str, Any]:
    """spaCy's NER alone on the document's text: ORG, PER and LOC as they come, no rules,
    no gazetteer, no cleaning, no dates (the French model has no DATE label)."""
    from liaison.intake.pipeline import nlp
    from liaison.intake.pipeline.inputs import read_document

    text = read_document(path.read_bytes(), path.name).text
    out: dict[str, Any] = {"organizations": [], "persons": [], "places": [], "dates": [],
                           "activities": []}  # fmt: skip
    seen: set[tuple[str, str]] = set()
    target = {"ORG": "organizations", "PER": "persons", "LOC": "places"}
    for ent in nlp.entities(text, model):
        kind = target.get(ent.label)
        if kind is None or (kind, name_key(ent.text)) in seen:
            continue
        seen.add((kind, name_key(ent.text)))
        out[kind].append({"name": ent.text, "title_or_rank": ""})
    return out


def evaluate(directory: str | Path, extractor: Extractor | None = None) -> Report:
    run = extractor or pipeline_extractor()
    report = Report()
    for path, annotation in corpus(directory):
        pred = run(path, annotation)
        scores = score_document(annotation.get("gold", {}), pred)
        for kind, s in scores.items():
            report.kinds[kind].add(s)
        report.documents.append(
            {"document": path.name, **{k: s.as_dict() for k, s in scores.items()}}
        )
    return report
