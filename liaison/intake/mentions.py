"""Where the review page marks what each proposal was read from.

A name (an organisation, a person, a place) is marked at every place the text writes it,
each on its own span and coloured by its kind; an activity, an event or an agreement is
read from a whole passage, which is underlined instead, so that the names inside it stay
readable (one highlight of a whole sentence tagged with seven numbers read as nothing).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from liaison.intake.relations import names_of

NAMED = ("organization", "person", "place")


@dataclass
class Piece:
    text: str
    kind: str = ""  # the mention's kind, "" outside any mention
    numbers: list[int] = field(default_factory=list)  # the proposals of the mention
    passages: list[int] = field(default_factory=list)  # the proposals of the passage
    status: str = ""
    first: bool = False  # the mention's first piece (its number is shown there)
    opens: list[int] = field(default_factory=list)  # the passages that begin here


def _occurrences(text: str, name: str) -> list[tuple[int, int]]:
    if len(name.strip()) < 2:
        return []
    pattern = re.compile(r"(?<!\w)" + re.escape(name.strip()) + r"(?!\w)")
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def mention_spans(text: str, proposals: list[Any], numbers: dict[int, int]) -> list[Any]:
    """(start, end, kind, [numbers]) of each name mention, none overlapping another: the
    longest wins ("Defence Institute ... (DIILS)" over "DIILS" inside it)."""
    found: dict[tuple[int, int], tuple[str, list[int]]] = {}
    for p in proposals:
        if p.kind not in NAMED:
            continue
        names = names_of(p)
        if p.kind == "person" and len(p.label.split()) > 1 and len(p.label.split()[-1]) > 3:
            names.append(p.label.split()[-1])  # "le colonel Maïga"
        spans = {(p.start, p.end)} if p.end > p.start else set()
        for name in names:
            spans.update(_occurrences(text, name))
        for span in spans:
            kind, owners = found.setdefault(span, (p.kind, []))
            owners.append(numbers[p.pk])
    kept: list[Any] = []
    taken: list[tuple[int, int]] = []
    for (start, end), (kind, owners) in sorted(found.items(), key=lambda i: i[0][0] - i[0][1]):
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        kept.append((start, end, kind, sorted(set(owners))))
    return sorted(kept)


def marked(text: str, proposals: list[Any], numbers: dict[int, int]) -> list[list[Piece]]:
    """The text in paragraphs (its lines) of pieces, each with its mention and passages."""
    mentions = mention_spans(text, proposals, numbers)
    status = {numbers[p.pk]: p.status for p in proposals}
    passages = [(p.start, p.end, numbers[p.pk]) for p in proposals
                if p.kind not in NAMED and p.end > p.start]  # fmt: skip
    cuts = {0, len(text)}
    for start, end, *_rest in mentions:
        cuts.update((start, end))
    for start, end, _n in passages:
        cuts.update((start, end))
    for at, char in enumerate(text):
        if char == "\n":
            cuts.update((at, at + 1))
    points = sorted(c for c in cuts if 0 <= c <= len(text))
    paragraphs: list[list[Piece]] = []
    line: list[Piece] = []
    m = 0
    for start, end in itertools.pairwise(points):
        chunk = text[start:end]
        if chunk == "\n":
            if any(piece.text.strip() for piece in line):
                paragraphs.append(line)
            line = []
            continue
        while m < len(mentions) and mentions[m][1] <= start:
            m += 1
        piece = Piece(chunk, passages=[n for s, e, n in passages if s <= start and end <= e])
        piece.opens = [n for s, _e, n in passages if s == start]
        if m < len(mentions) and mentions[m][0] <= start and end <= mentions[m][1]:
            piece.kind, piece.numbers = mentions[m][2], mentions[m][3]
            piece.first = start == mentions[m][0]
            states = {status[n] for n in piece.numbers}
            piece.status = "proposed" if "proposed" in states else next(iter(states), "")
        line.append(piece)
    if any(piece.text.strip() for piece in line):
        paragraphs.append(line)
    return paragraphs
