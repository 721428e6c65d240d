"""Dates step: single dates and ranges in French and English, found by regular
expressions; dateparser reads only the matched pieces (never the whole text, where
"Lu" or "des" would become dates). Dates without a year keep it unknown (flag
"year_missing"); relative ones ("hier", "on Monday") are resolved against the
publication date. A range whose end comes before
its start is kept as written and flagged "impossible_range", never fixed."""

# Typographic apostrophes and dashes are meant: texts are written with them.
# ruff: noqa: RUF001

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import regex

from liaison.core.text import windows
from liaison.intake.extraction import DateMention

_RX_DIGITS = regex.compile(r"\d+")

FR_MONTHS = {
    "janvier": 1, "janv": 1, "février": 2, "fevrier": 2, "févr": 2, "fevr": 2, "mars": 3,
    "avril": 4, "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "août": 8,
    "aout": 8, "septembre": 9, "sept": 9, "octobre": 10, "oct": 10, "novembre": 11,
    "nov": 11, "décembre": 12, "decembre": 12, "déc": 12, "dec": 12,
}  # fmt: skip
EN_MONTHS = {
    "January": 1, "Jan": 1, "February": 2, "Feb": 2, "March": 3, "Mar": 3, "April": 4,
    "Apr": 4, "May": 5, "June": 6, "Jun": 6, "July": 7, "Jul": 7, "August": 8, "Aug": 8,
    "September": 9, "Sept": 9, "Sep": 9, "October": 10, "Oct": 10, "November": 11,
    "Nov": 11, "December": 12, "Dec": 12,
}  # fmt: skip
# Monday is 0, as in datetime.date.weekday(); French names lowercase, English capitalised.
WEEKDAYS = {
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5,
    "dimanche": 6, "Monday": 0, "Tuesday": 1, "Wednesday": 2, "Thursday": 3, "Friday": 4,
    "Saturday": 5, "Sunday": 6,
}  # fmt: skip
_MONTH_NUMBERS = {**{k.lower(): v for k, v in EN_MONTHS.items()}, **FR_MONTHS}


def _alt(words: list[str]) -> str:
    return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))


# French month names in any case; English ones capitalised ("may", "march" are verbs).
_FR_M = r"(?i:" + _alt(list(FR_MONTHS)) + r")"
_EN_M = r"(?:" + _alt(list(EN_MONTHS)) + r")"
_M = rf"(?:{_FR_M}|{_EN_M})\.?"
_D = r"(?:[12]\d|3[01]|0?[1-9])(?:er|st|nd|rd|th)?"
_Y = r"(?:19[5-9]\d|20[0-4]\d)"
_TO = r"\s*(?:au|à|jusqu['’]au|et|to|until|till|through|and|-|–|—)\s*(?:le\s+)?"
_FROM = r"(?:(?i:du|entre le|entre|from|between)\s+)?"
_B = r"(?<![\p{L}\p{N}/.-])"
_E = r"(?![\p{L}\p{N}]|/\d)"


def _named(pattern: str, names: dict[str, str]) -> str:
    for placeholder, name in names.items():
        pattern = pattern.replace(placeholder, name)
    return pattern


PATTERNS: list[tuple[str, Any]] = [
    # du 28 février au 3 mars 2025 / from 28 February to 3 March 2025
    (
        "range2",
        rf"{_B}{_FROM}(?P<d1>{_D})\s+(?P<m1>{_M})(?:\s+(?P<y1>{_Y}))?{_TO}"
        rf"(?P<d2>{_D})\s+(?P<m2>{_M})(?:,?\s+(?P<y2>{_Y}))?{_E}",
    ),
    # from February 28 to March 3, 2025
    (
        "range2",
        rf"{_B}{_FROM}(?P<m1>{_EN_M})\.?\s+(?P<d1>{_D})(?:,?\s+(?P<y1>{_Y}))?{_TO}"
        rf"(?P<m2>{_EN_M})\.?\s+(?P<d2>{_D})(?:,?\s+(?P<y2>{_Y}))?{_E}",
    ),
    # du 19 au 21 février 2025 / from 19 to 21 February / 19-21 February 2025
    (
        "range1",
        rf"{_B}{_FROM}(?P<d1>{_D}){_TO}(?P<d2>{_D})\s+(?P<m1>{_M})(?:,?\s+(?P<y1>{_Y}))?{_E}",
    ),
    # February 19-21, 2025 / from February 19 to 21
    (
        "range1",
        rf"{_B}{_FROM}(?P<m1>{_EN_M})\.?\s+(?P<d1>{_D}){_TO}(?P<d2>{_D})(?:,?\s+(?P<y1>{_Y}))?{_E}",
    ),
    # de janvier à mars 2025 / from January to March 2025
    (
        "mrange",
        rf"{_B}(?:(?i:de|d['’]|from|between|entre)\s*)?(?P<m1>{_M})(?:\s+(?P<y1>{_Y}))?"
        rf"\s*(?:à|a|au|jusqu['’]en|to|until|-|–|et|and)\s*(?P<m2>{_M})\s+(?P<y2>{_Y}){_E}",
    ),
    # 19 février 2025 / le 22 janvier / 19 February 2025
    ("day", rf"{_B}(?P<d1>{_D})\s+(?P<m1>{_M})(?:,?\s+(?P<y1>{_Y}))?{_E}"),
    # February 19, 2025 / on January 22
    ("day", rf"{_B}(?P<m1>{_EN_M})\.?\s+(?P<d1>{_D})(?:,?\s+(?P<y1>{_Y}))?{_E}"),
    # 16/05/2016, 2025-02-19
    ("numeric", rf"{_B}(?P<d1>[0-3]?\d)/(?P<m1>[01]?\d)/(?P<y1>{_Y}){_E}"),
    ("iso", rf"{_B}(?P<y1>{_Y})-(?P<m1>[01]\d)-(?P<d1>[0-3]\d){_E}"),
    # février 2025 / February 2025
    ("month", rf"{_B}(?P<m1>{_M})\s+(?P<y1>{_Y}){_E}"),
    # en février, de février, in February, since March
    (
        "month",
        rf"(?<=(?i:\b(?:en|de|d['’]|depuis|début|fin|mi-|dès|in|since|early|late|mid-|"
        rf"during|of|until|by)\s*))(?P<m1>{_M}){_E}",
    ),
    # de 2020 à 2023, 2020-2023, from 2020 to 2023
    (
        "yrange",
        # "de 2017 et 2019" names two years; "entre 2017 et 2019" a period.
        rf"{_B}(?:(?:(?i:de|from)\s+)?(?P<y1>{_Y})\s*(?:à|au|to|-|–)|"
        rf"(?i:entre|between)\s+(?P<y1>{_Y})\s*(?:et|and))\s*(?P<y2>{_Y}){_E}",
    ),
    # en 2022, 2020 (a year alone; not a count of soldiers or euros)
    (
        "year",
        rf"{_B}(?P<y1>{_Y}){_E}(?!\s*(?i:hommes|soldats|militaires|personnes|troops|"
        rf"soldiers|personnel|km|euros?|dollars?|\$|€|FCFA|F CFA|tonnes|véhicules|vehicles))",
    ),
    # Relative dates, resolved against the publication date.
    (
        "relative",
        r"(?i)\b(?:avant-hier|hier|aujourd['’]hui|demain|yesterday|today|tomorrow|"
        r"(?:la semaine|le mois|l['’]an|l['’]année) (?:dernière|dernier|passée|passé|prochaine|"
        r"prochain)|(?:last|next|this) (?:week|month|year)|cette semaine|ce mois-ci|cette année|"
        r"il y a (?:\d+|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix) "
        r"(?:jours?|semaines?|mois|ans?)|(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|"
        r"ten) (?:days?|weeks?|months?|years?) ago)\b",
    ),
    # on Monday, lundi: the last such day up to the publication date (news report the
    # past); not "lundi 3 mars" (the date is written) nor "next Monday", "lundi prochain".
    (
        "weekday",
        rf"(?<!(?i:next|coming|prochain)\s)\b(?P<w>{_alt(list(WEEKDAYS))})\b"
        r"(?!\s+(?:\d|(?i:prochain|next|suivant)))",
    ),
]
_COMPILED = [(kind, regex.compile(p, regex.V0)) for kind, p in PATTERNS]


@dataclass
class _Raw:
    kind: str
    start: int
    end: int
    groups: dict[str, str | None]


def _month(word: str | None) -> int:
    if not word:
        return 0
    w = word.rstrip(".")
    if w.isdigit():
        return int(w)
    return _MONTH_NUMBERS.get(w.lower(), 0)


def _day(word: str | None) -> int:
    if not word:
        return 0
    found = _RX_DIGITS.match(word)
    return int(found[0]) if found else 0


@lru_cache(maxsize=1)
def _parsers() -> dict[str, Any]:
    from dateparser.date import DateDataParser

    return {
        "fr": DateDataParser(languages=["fr"], settings={"PREFER_DAY_OF_MONTH": "first"}),
        "en": DateDataParser(languages=["en"], settings={"PREFER_DAY_OF_MONTH": "first"}),
    }


@lru_cache(maxsize=2048)
def parse_piece(piece: str, language: str = "fr") -> datetime.date | None:
    """dateparser on one matched piece ("19 février 2025"); None if it is no date."""
    data = _parsers()["en" if language == "en" else "fr"].get_date_data(piece)
    return data.date_obj.date() if data and data.date_obj else None


@lru_cache(maxsize=512)
def parse_relative(piece: str, base: datetime.date) -> datetime.date | None:
    import dateparser

    when = datetime.datetime.combine(base, datetime.time(12))
    found = dateparser.parse(
        piece, languages=["fr", "en"], settings={"RELATIVE_BASE": when, "PREFER_DATES_FROM": "past"}
    )
    return found.date() if found else None


def _iso(year: int, month: int = 0, day: int = 0, language: str = "fr") -> str | None:
    if not month:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if not day:
        return f"{year:04d}-{month:02d}"
    if day > calendar.monthrange(year, month)[1]:
        return None
    names = ["", "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
             "septembre", "octobre", "novembre", "décembre"]  # fmt: skip
    parsed = parse_piece(f"{day} {names[month]} {year}", "fr")
    return parsed.isoformat() if parsed else datetime.date(year, month, day).isoformat()


_CUE = regex.compile(
    r"\d|(?i:janv|f[ée]vr|mars|avr|mai|juin|juil|ao[uû]t|sept|oct|nov|d[ée]c|jan|feb|mar|apr|"
    r"may|jun|jul|aug|sep|hier|aujourd|demain|yesterday|today|tomorrow|semaine|mois|ann[ée]e|"
    r"week|month|year|ago|il y a|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
)


def _find_raw(text: str) -> list[_Raw]:
    taken = bytearray(len(text))
    found: list[_Raw] = []
    # The patterns run only around digits, month names and relative words.
    spans = windows(text, [m.start() for m in _CUE.finditer(text)], 60, 60, min_gap=20)
    for kind, pattern in _COMPILED:
        for m in (m for a, b in spans for m in pattern.finditer(text, a, b)):
            s, e = m.span()
            if any(taken[s:e]):
                continue
            taken[s:e] = b"\x01" * (e - s)
            found.append(_Raw(kind, s, e, m.groupdict()))
    found.sort(key=lambda r: r.start)
    return found


def _year_for(
    month: int, day: int, position: int, context: list[tuple[int, int, int]],
    published: datetime.date | None,
) -> int | None:  # fmt: skip
    """The year of a date written without one."""
    if published is not None:
        year = published.year
        try:
            candidate = datetime.date(year, month or 1, day or 1)
        except ValueError:
            return year
        if (candidate - published).days > 183:
            return year - 1
        return year
    before = [(p, y, rank) for p, y, rank in context if p < position]
    after = [(p, y, rank) for p, y, rank in context if p > position]
    for pool in (
        [c for c in before if c[2] == 2],
        [c for c in after if c[2] == 2],
        [c for c in before if c[2] == 1],
    ):
        if pool:
            return min(pool, key=lambda c: abs(c[0] - position))[1]
    return None


def find_dates(
    text: str, published: datetime.date | None = None, language: str = "fr"
) -> list[DateMention]:
    """Every date and date range written in the text, in order."""
    raws = _find_raw(text)
    # Explicit years seen in the text: (position, year, 2 for a full date, 1 for a year).
    context: list[tuple[int, int, int]] = []
    for r in raws:
        for name in ("y1", "y2"):
            value = r.groups.get(name)
            if value:
                context.append((r.start, int(value), 2 if r.kind not in ("year", "yrange") else 1))
    out: list[DateMention] = []
    for r in raws:
        g = r.groups
        piece = text[r.start : r.end]
        flags: list[str] = []
        mention = DateMention(text=piece, span=(r.start, r.end), flags=flags)
        if r.kind == "weekday":
            flags.append("relative")
            if published is None:
                flags.append("unresolved")
            else:
                back = (published.weekday() - WEEKDAYS[str(g["w"])]) % 7
                day = (published - datetime.timedelta(days=back)).isoformat()
                mention.iso_start = mention.iso_end = day
            out.append(mention)
            continue
        if r.kind == "relative":
            flags.append("relative")
            if published is None:
                flags.append("unresolved")
            else:
                when = parse_relative(piece, published)
                if when is None:
                    flags.append("unresolved")
                else:
                    unit = "day"
                    low = piece.lower()
                    if any(w in low for w in ("semaine", "week")):
                        unit = "day"
                    if any(w in low for w in ("mois", "month")):
                        unit = "month"
                    if any(w in low for w in ("an ", "année", "year", " ans")):
                        unit = "year"
                    iso = when.isoformat()
                    mention.iso_start = mention.iso_end = (
                        iso if unit == "day" else iso[:7] if unit == "month" else iso[:4]
                    )
            out.append(mention)
            continue
        y1 = int(g.get("y1") or 0) or None
        y2 = int(g.get("y2") or 0) or None
        m1, m2 = _month(g.get("m1")), _month(g.get("m2"))
        d1, d2 = _day(g.get("d1")), _day(g.get("d2"))
        if r.kind in ("year", "yrange"):
            mention.iso_start = f"{y1:04d}"
            mention.iso_end = f"{(y2 or y1):04d}"
            if y2 is not None and y1 is not None and y2 < y1:
                flags.append("impossible_range")
            out.append(mention)
            continue
        if r.kind == "range1":
            m2, y2 = m1, y1
        if r.kind in ("range2", "mrange") and y1 is None and y2 is not None:
            # "du 28 décembre au 3 janvier 2025": the start is in the year before.
            y1 = y2 - 1 if m1 > m2 else y2
        if y1 is None:
            # A date written without its year stays without one (annotation contract):
            # the guess from the publication date, wrong across a new year or for an
            # event recalled, only dates the activities (with_guessed_years).
            flags.append("year_missing")
            out.append(mention)
            guess = _year_for(m1, d1, r.start, context, published)
            if guess is not None:
                end_month = m2 or m1 if r.kind in ("range1", "range2", "mrange") else m1
                mention.guess_start = _iso(guess, m1, d1, language)
                mention.guess_end = _iso(y2 or guess, end_month, d2 or d1, language)
                if r.kind not in ("range1", "range2", "mrange"):
                    mention.guess_end = mention.guess_start
            continue
        if y2 is None:
            y2 = y1
        start = _iso(y1, m1, d1, language)
        end = (
            _iso(y2, m2 or m1, d2, language) if r.kind in ("range1", "range2", "mrange") else start
        )
        if start is None or end is None:
            flags.append("invalid_date")
            out.append(mention)
            continue
        mention.iso_start, mention.iso_end = start, end
        if end < start[: len(end)] or (len(end) == len(start) and end < start):
            flags.append("impossible_range")
        out.append(mention)
    return out


def with_guessed_years(dates: list[DateMention]) -> list[DateMention]:
    """The dates with the year guessed where none is written, for dating activities (an
    action "le 28 novembre" in a text published in December happened that year)."""
    return [
        replace(d, iso_start=d.guess_start, iso_end=d.guess_end or d.guess_start)
        if d.iso_start is None and d.guess_start
        else d
        for d in dates
    ]


def date_order(iso: str | None) -> str:
    return iso or ""
