"""Entities step: spaCy's NER (French model), the gazetteer (known names first, like an
entity ruler placed before the model) and the rules of rules.py, merged: where two
candidate spans overlap, the longer wins, then the surer source."""

# Typographic apostrophes and dashes are meant: texts are written with them.
# ruff: noqa: RUF001

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import regex

from liaison.core.text import fold_aligned, strip_article
from liaison.intake.gazetteer import KnownName
from liaison.intake.pipeline import nlp, rules
from liaison.intake.pipeline.resolution import GazetteerIndex
from liaison.intake.pipeline.tidy import (
    facility_places,
    is_programme,
    is_thing_or_media,
    tidy_organization,
    tidy_person,
    tidy_place,
)

_RX_TAIL = regex.compile(r"(?:\s+(?:\p{Ll}[\p{L}’']*|\d+))+$")
_RX_CORE = regex.compile(r"\p{Lu}[\p{L}\d’'\-]*(?:[ \-]+[\p{L}\d’'\-]+)*")

# Priorities: lower is surer.
GAZETTEER, RULE_PERSON, RULE_ACRONYM, RULE_ORG, SPACY, WEAK = range(6)
_CONFIDENCE = {GAZETTEER: 0.95, RULE_PERSON: 0.9, RULE_ACRONYM: 0.9, RULE_ORG: 0.8,
               SPACY: 0.7, WEAK: 0.5}  # fmt: skip
_NOT_PLACES = {
    fold_aligned(w) for w in ("État", "Etat", "Secrétaire", "Sud", "Nord", "Est", "Ouest", "Centre")
} | {"x", "twitter", "facebook", "dc"}
_ORG_HEAD_START = regex.compile(
    r"^(?i:(?:l['’]|la |le |les |the )?(?:"
    + "|".join(regex.escape(h) for h in rules.ORG_HEADS)
    + r"))\b"
)


@dataclass
class Mention:
    label: str  # ORG, PER, LOC
    start: int
    end: int
    text: str
    priority: int
    known: KnownName | None = None
    rule: rules.RuleHit | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def confidence(self) -> float:
        return _CONFIDENCE[self.priority]


def _spacy_mentions(text: str, ents: list[nlp.Ent]) -> list[Mention]:
    out: list[Mention] = []
    for ent in ents:
        surface = ent.text
        if "\n" in surface or "@" in surface or len(surface) < 2:
            continue
        label = ent.label_ if hasattr(ent, "label_") else ent.label
        if label == "MISC" or label == "LOC":
            if _ORG_HEAD_START.match(surface) and len(surface.split()) > 1:
                label = "ORG"
            elif label == "MISC":
                continue
        surface, start = strip_article(surface, ent.start)
        end = start + len(surface)
        if label == "PER":
            if any(c.isdigit() for c in surface) or surface.islower():
                continue
            trimmed = rules._trim_name(surface, start)
            if trimmed is None:
                continue
            surface, start, end = trimmed
        if label == "LOC" and (
            fold_aligned(surface) in _NOT_PLACES
            or not surface[:1].isupper()
            or rules.is_title_or_rank(surface)
        ):
            continue
        if label == "ORG":
            # "Embassy in Nouakchott handed over 12": a name ends on a name word.
            tail = _RX_TAIL.search(surface)
            if tail and fold_aligned(tail.group().split()[-1]) not in rules.ORG_LEXICON:
                surface = surface[: tail.start()]
                end = start + len(surface)
            if surface.islower() or rules.is_title_or_rank(surface):
                continue
        out.append(Mention(label, start, end, surface, SPACY))
    return out


def find_mentions(
    text: str, index: GazetteerIndex, *, model: str | None = None, language: str = "fr"
) -> list[Mention]:
    """All entity mentions of the text, without overlaps, in text order."""
    candidates: list[Mention] = []
    for hit in index.find(text):
        candidates.append(Mention(hit.label, hit.start, hit.end, hit.text, GAZETTEER, hit.known))
    for r in rules.person_rules(text):
        candidates.append(Mention("PER", r.start, r.end, r.text, RULE_PERSON, rule=r))
    for r in rules.acronym_rules(text):
        candidates.append(Mention("ORG", r.start, r.end, r.text, RULE_ACRONYM, rule=r))
    for r in rules.org_rules(text):
        candidates.append(Mention("ORG", r.start, r.end, r.text, RULE_ORG, rule=r))
    for r in rules.standalone_acronyms(text):
        candidates.append(Mention("ORG", r.start, r.end, r.text, WEAK, rule=r))
    for r in rules.dateline_places(text):
        candidates.append(Mention("LOC", r.start, r.end, r.text, RULE_ORG, rule=r))
    for s, e, name in facility_places(text):
        candidates.append(Mention("LOC", s, e, name, RULE_ORG))
    candidates.extend(_spacy_mentions(text, nlp.entities(text, model)))
    return _tidied(text, resolve_overlaps(candidates), language)


def _tidied(text: str, mentions: list[Mention], language: str) -> list[Mention]:
    """Organisation spans trimmed to their names (tidy.py); the gazetteer's are kept.
    Programmes and exercises, equipment and the press quoted are no organisations: once
    a name is seen as one, its other mentions (and its acronym) are dropped too."""
    out: list[Mention] = []
    not_orgs: set[str] = set()
    for m in mentions:
        if m.label == "ORG" and m.priority != GAZETTEER:
            tidied = tidy_organization(text, m, language)
            if tidied is None:
                continue
            m = tidied
            if is_programme(text, m.start, m.end, m.text) or is_thing_or_media(
                text, m.start, m.text
            ):
                not_orgs.add(fold_aligned(m.text))
                if m.rule is not None and m.rule.acronym:
                    not_orgs.add(fold_aligned(m.rule.acronym))
        elif m.label == "LOC" and m.priority == SPACY:
            place = tidy_place(text, m, language)
            if place is None:
                continue
            m = place
        elif m.label == "PER" and m.priority != GAZETTEER:
            person = tidy_person(text, m)
            if person is None:
                continue
            m = person
        out.append(m)
    return [m for m in out if m.label != "ORG" or fold_aligned(m.text) not in not_orgs]


def _tier(m: Mention) -> int:
    """0: names the gazetteer or a person/acronym rule vouches for; 1: institution rules,
    known places and datelines; 2: spaCy's spans and weak guesses."""
    if m.priority <= RULE_ACRONYM and not (m.priority == GAZETTEER and m.label == "LOC"):
        return 0
    if m.priority in (GAZETTEER, RULE_ORG):
        return 1
    return 2


def _trim_around(m: Mention, taken: list[tuple[int, int]]) -> Mention | None:
    """What is left of a spaCy span once surer spans are cut out of it ("Al-Shabaab
    Somalie" less the country), if that still reads as a name."""
    free = [(m.start, m.end)]
    for s, e in taken:
        nxt = []
        for a, b in free:
            if e <= a or b <= s:
                nxt.append((a, b))
                continue
            if a < s:
                nxt.append((a, s))
            if e < b:
                nxt.append((e, b))
        free = nxt
    best: Mention | None = None
    for a, b in free:
        piece = m.text[a - m.start : b - m.start]
        core = _RX_CORE.search(piece)
        if not core:
            continue
        words_ = [w for w in core.group().split() if fold_aligned(w) not in rules._STOP]
        if not words_ or (len(words_) == 1 and len(words_[0]) < 3):
            continue
        cs = a + core.start()
        candidate = Mention(m.label, cs, cs + len(core.group()), core.group(), m.priority)
        if best is None or len(candidate.text) > len(best.text):
            best = candidate
    return best


def resolve_overlaps(candidates: list[Mention]) -> list[Mention]:
    """Keep, among overlapping spans, those of the surer tier, then the longest; a spaCy
    span that overlaps a surer one keeps only what is left of it, if it reads as a name."""
    chosen: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for m in sorted(candidates, key=lambda m: (_tier(m), -(m.end - m.start), m.priority)):
        if any(m.start < e and s < m.end for s, e in taken):
            if _tier(m) < 2:
                continue
            trimmed = _trim_around(m, taken)
            if trimmed is None or any(trimmed.start < e and s < trimmed.end for s, e in taken):
                continue
            m = trimmed
        chosen.append(m)
        taken.append((m.start, m.end))
    chosen.sort(key=lambda m: m.start)
    return chosen
