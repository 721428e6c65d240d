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
import re
import statistics
import unicodedata
from collections.abc import Callable
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


# The comparison of ../shared/tools/intake-score, kept to the letter so that both agree on
# the same predictions (tests/test_evaluation.py compares them): lower case without
# accents, apostrophes and punctuation as spaces, one leading article dropped.
_APOSTROPHES = re.compile("[\u2019'`]")
_NON_WORD = re.compile(r"[^\w]+")
_ARTICLE = re.compile(r"^(le|la|les|l|the|du|de|des)\s+")
_SPACES = re.compile(r"\s+")
_PARENTHESIS = re.compile(r"^(.*?)\s*\(([^)]+)\)\s*$")


def _norm(value: Any) -> str:
    if not value:
        return ""
    text = unicodedata.normalize("NFKD", str(value))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = _NON_WORD.sub(" ", _APOSTROPHES.sub(" ", text))
    return _SPACES.sub(" ", _ARTICLE.sub("", text.strip())).strip()


def _org_forms(entry: Any, aliases: dict[str, list[str]] | None = None) -> set[str]:
    """Every form an organisation answers to: its name, acronym and aliases, and both
    halves of a name written "Long form (ACRONYM)"."""
    if isinstance(entry, str):
        entry = {"name": entry}
    name = entry.get("name") or ""
    forms = {_norm(name), _norm(entry.get("acronym"))}
    forms |= {_norm(a) for a in [*(entry.get("aliases") or []), *(aliases or {}).get(name, [])]}
    match = _PARENTHESIS.match(name)
    if match:
        forms |= {_norm(match.group(1)), _norm(match.group(2))}
    return {f for f in forms if f}


def _pairs(
    gold: list[Any], pred: list[Any], same: Callable[[Any, Any], bool]
) -> list[tuple[Any, Any]]:
    """Greedy one-to-one matching, each gold item taking the first unused prediction."""
    used: set[int] = set()
    pairs = []
    for g in gold:
        for i, p in enumerate(pred):
            if i not in used and same(g, p):
                used.add(i)
                pairs.append((g, p))
                break
    return pairs


def _score(gold: list[Any], pred: list[Any], same: Callable[[Any, Any], bool]) -> Score:
    tp = len(_pairs(gold, pred, same))
    return Score(tp=tp, fp=len(pred) - tp, fn=len(gold) - tp)


def _name(item: Any) -> str:
    return _norm(item.get("name") if isinstance(item, dict) else item)


def _iso(value: Any) -> str:
    return (value or "")[:10]


def score_document(gold: dict[str, Any], pred: dict[str, Any]) -> dict[str, Score]:
    """One document's counts per kind, as ../shared/tools/intake-score counts them."""
    scores: dict[str, Score] = {}
    aliases = gold.get("organization_aliases") or {}
    scores["organizations"] = _score(
        [_org_forms(o, aliases) for o in gold.get("organizations", [])],
        [_org_forms(o) for o in pred.get("organizations", [])],
        lambda g, p: bool(g & p),
    )
    gold_persons = gold.get("persons", [])
    pred_persons = [p if isinstance(p, dict) else {"name": p} for p in pred.get("persons", [])]
    pairs = _pairs(gold_persons, pred_persons, lambda g, p: _name(g) == _name(p))
    found = len(pairs)
    scores["persons"] = Score(found, len(pred_persons) - found, len(gold_persons) - found)
    # Ranks: of the persons found whose gold has a title, those whose proposed title is
    # one of the gold titles (";" or "," apart), or a part of one, or contains one.
    ranked = [(g, p) for g, p in pairs if g.get("title_or_rank")]
    right = 0
    for g, p in ranked:
        titles = [_norm(t) for t in re.split(r"[;,]", g["title_or_rank"]) if _norm(t)]
        proposed = _norm(p.get("title_or_rank"))
        right += bool(proposed) and any(proposed in t or t in proposed for t in titles)
    scores["ranks"] = Score(right, len(ranked) - right, len(ranked) - right)
    # A country that acts (donor, host, beneficiary) is no place: proposing it as a place
    # is neither right nor wrong, so it is left out of the count.
    gold_places = [_name(p) for p in gold.get("places", [])]
    actors = {_norm(c) for c in gold.get("countries_as_actors") or []} - set(gold_places)
    pred_places = [_name(p) for p in pred.get("places", [])]
    scores["places"] = _score(
        gold_places, [p for p in pred_places if p not in actors], lambda g, p: g == p
    )
    scores["dates"] = _score(
        [d for d in gold.get("dates", []) if d.get("iso_start")],
        [d for d in pred.get("dates", []) if d.get("iso_start")],
        lambda g, p: (
            _iso(g["iso_start"]) == _iso(p["iso_start"])
            and _iso(g.get("iso_end") or g["iso_start"]) == _iso(p.get("iso_end") or p["iso_start"])
        ),
    )
    # Activities by type and start month; a gold activity without a start takes any.
    scores["activities"] = _score(
        gold.get("activities", []),
        pred.get("activities", []),
        lambda g, p: (
            g["type"] == p.get("type")
            and (not g.get("start") or (p.get("start") or "")[:7] == g["start"][:7])
        ),
    )
    return scores


Pairs = list[tuple[Path, dict[str, Any]]]
SPLITS = ("dev", "test", "all")


def _pairs_in(base: Path) -> Pairs:
    pairs = []
    for annotation in sorted(base.glob("*.json")):
        for ext in _EXTENSIONS:
            doc = annotation.with_suffix(ext)
            if doc.exists():
                pairs.append((doc, json.loads(annotation.read_text(encoding="utf-8"))))
                break
    return pairs


def corpus(directory: str | Path, split: str | None = None) -> Pairs:
    """(document path, annotation) for every annotated document of the directory. A
    corpus split in dev/ and test/ (bench/data/intake_corpus) is read whole when the
    directory holds no document itself, or one part of it with split "dev" or "test"."""
    base = Path(directory)
    if split in ("dev", "test"):
        return _pairs_in(base / split)
    pairs = _pairs_in(base)
    if split == "all" or not pairs:
        for sub in sorted(p for p in base.iterdir() if p.is_dir()) if base.is_dir() else []:
            pairs += _pairs_in(sub)
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


def evaluate(
    directory: str | Path | Pairs,
    extractor: Extractor | None = None,
    predictions: list[dict[str, Any]] | None = None,
) -> Report:
    """Score the extractor on a directory's documents (or on given pairs); each
    prediction is appended to `predictions`, as intake-score reads them, when given."""
    run = extractor or pipeline_extractor()
    report = Report()
    pairs = corpus(directory) if isinstance(directory, str | Path) else directory
    for path, annotation in pairs:
        pred = run(path, annotation)
        if predictions is not None:
            predictions.append({**pred, "source": path.name})
        scores = score_document(annotation.get("gold", {}), pred)
        for kind, s in scores.items():
            report.kinds[kind].add(s)
        report.documents.append(
            {"document": path.name, **{k: s.as_dict() for k, s in scores.items()}}
        )
    return report


# Cross-validation over documents. A learner builds an extractor from the training
# documents of a fold (a gazetteer, rule lists or thresholds mined from them) and that
# extractor is scored on the held-out documents only. The pipeline learns nothing from
# a corpus today (its rules are written by hand, its gazetteer is read from the
# database), so the default learner returns the same extractor for every fold; the
# report says so.
Learner = Callable[[Pairs], Extractor]


def fold_of(index: int, folds: int) -> int:
    """Documents go to folds in turn, in name order: the same folds on every run."""
    return index % folds


@dataclass
class FoldReport:
    folds: list[Report]
    learned: bool

    def f1s(self, kind: str) -> list[float]:
        return [(r.overall if kind == "overall" else r.kinds[kind]).f1 for r in self.folds]

    def mean_sd(self, kind: str) -> tuple[float, float]:
        values = self.f1s(kind)
        return statistics.fmean(values), statistics.stdev(values) if len(values) > 1 else 0.0

    def as_dict(self) -> dict[str, Any]:
        kinds = [*KINDS, "overall"]
        return {
            "folds": len(self.folds),
            "learned_from_corpus": self.learned,
            "documents": [len(r.documents) for r in self.folds],
            **{
                k: {
                    "f1_per_fold": [round(v, 3) for v in self.f1s(k)],
                    "mean": round(self.mean_sd(k)[0], 3),
                    "sd": round(self.mean_sd(k)[1], 3),
                }
                for k in kinds
            },
        }

    def table(self, title: str = "") -> str:
        lines = [title] if title else []
        header = "".join(f"{f'fold {i + 1}':>8}" for i in range(len(self.folds)))
        lines.append(f"{'F1':<14}{header}{'mean ± sd':>16}")
        for kind in [*KINDS, "overall"]:
            cells = "".join(f"{v:>8.3f}" for v in self.f1s(kind))
            mean, sd = self.mean_sd(kind)
            lines.append(f"{kind:<14}{cells}{f'{mean:.3f} ± {sd:.3f}':>16}")
        return "\n".join(lines)


def cross_validate(
    pairs: Pairs,
    folds: int,
    learner: Learner | None = None,
    extractor: Extractor | None = None,
    predictions: list[dict[str, Any]] | None = None,
) -> FoldReport:
    """Score each fold's documents with what the learner built from the other folds."""
    if not 2 <= folds <= len(pairs):
        raise ValueError(f"folds must be between 2 and the number of documents ({len(pairs)})")
    fixed = extractor or pipeline_extractor()
    build = learner or (lambda training: fixed)
    reports = []
    for k in range(folds):
        held_out = [p for i, p in enumerate(pairs) if fold_of(i, folds) == k]
        training = [p for i, p in enumerate(pairs) if fold_of(i, folds) != k]
        reports.append(evaluate(held_out, build(training), predictions))
    return FoldReport(reports, learned=learner is not None)
