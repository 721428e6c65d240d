"""The IATI Standard Ruleset, applied to an activity document.

`iati_schema/rulesets/standard.json` is the ruleset the IATI validator applies, copied
unchanged from IATI's rulesets repository (see `iati_schema/SOURCES.md`). No package of
PyPI checks it offline (pyIATI pins lxml 4.2 and ships an older ruleset; iatikit has no
ruleset), so this module reads the published JSON and applies each rule as the rulesets'
specification and its reference implementation (the `iatirulesets` module of the same
repository) define it. Tests run it on the exports of the demo and of the synthetic world.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree

from liaison.core.orgids import AGENCY_PREFIXES

RULESET = Path(__file__).parent / "iati_schema" / "rulesets" / "standard.json"
_DATE = re.compile(r"(-?[0-9]{4,})-([0-9]{2})-([0-9]{2})")


@dataclass(frozen=True)
class Failure:
    rule_id: str
    severity: str
    message: str
    where: str

    def __str__(self) -> str:
        return f"{self.rule_id} ({self.severity}) {self.where}: {self.message}"


@cache
def ruleset() -> dict[str, Any]:
    return dict(json.loads(RULESET.read_text(encoding="utf-8")))


def _text(match: Any) -> str:
    return str(match.text or "") if isinstance(match, etree._Element) else str(match)


def _matches(element: Any, paths: list[str]) -> list[Any]:
    found: list[Any] = []
    for path in paths:
        result = element.xpath(path)
        found.extend(result if isinstance(result, list) else [result])
    return found


def _date(element: Any, path: str, now: dt.date) -> dt.date | None:
    if path in ("NOW", "TODAY"):
        return now
    found = element.xpath(path)
    if not found:
        return None
    m = _DATE.match(_text(found[0]))
    return dt.date(*map(int, m.groups())) if m else None


def _decimal(value: str) -> Decimal | None:
    try:
        return Decimal(value)
    except InvalidOperation:
        return None


def _one_year_at_most(start: dt.date, end: dt.date) -> bool:
    """`time_limit`: the period is a year or shorter (the reference's relativedelta)."""
    try:
        anniversary = start.replace(year=start.year + 1)
    except ValueError:
        anniversary = start.replace(year=start.year + 1, day=28) + dt.timedelta(days=1)
    return end <= anniversary


def _check(rule: str, element: Any, case: dict[str, Any], now: dt.date) -> bool | None:
    """True: passes; False: fails; None: does not apply."""
    if "condition" in case and not element.xpath(case["condition"]):
        return None
    paths = case.get("paths", [])
    found = _matches(element, paths) if paths else []
    texts = [_text(m) for m in found]
    if rule == "atleast_one":
        return len(found) >= 1
    if rule == "no_more_than_one":
        return len(found) <= 1
    if rule == "unique":
        return len(texts) == len(set(texts))
    if rule == "no_spaces":
        return all(t == t.strip() for t in texts)
    if rule == "regex_matches":
        return all(re.search(case["regex"], t) for t in texts)
    if rule == "regex_no_matches":
        return not any(re.search(case["regex"], t) for t in texts)
    if rule == "startswith":
        prefixes: list[str] = []
        for prefix in case["prefix"]:
            if prefix == "ORG-ID-PREFIX":
                prefixes.extend(AGENCY_PREFIXES)
            else:
                prefixes.extend(_text(m) for m in _matches(element, [prefix]))
        separator = case.get("separator", "")
        return all(any(t.startswith(p + separator) for p in prefixes) for t in texts)
    if rule in ("sum", "strict_sum"):
        values = [_decimal(t) for t in texts]
        if rule == "sum" and not values:
            return True
        return None not in values and sum(v for v in values if v is not None) == Decimal(
            str(case["sum"])
        )
    if rule == "range":
        low, high = (
            Decimal(str(case.get("min", "-Infinity"))),
            Decimal(str(case.get("max", "Infinity"))),
        )
        values = [_decimal(t) for t in texts]
        return all(v is not None and low <= v <= high for v in values)
    if rule == "if_then":
        return bool(element.xpath(case["then"])) if element.xpath(case["if"]) else True
    if rule == "one_or_all":
        if element.xpath(case["one"]):
            return True
        kind = case["all"]
        if kind == "lang":
            return all(n.xpath("@xml:lang") for n in element.xpath("descendant::narrative"))
        if kind == "sector":
            return all(t.xpath("sector") for t in element.xpath("transaction"))
        if kind == "currency":
            return all(
                v.xpath("@currency")
                for path in ("value", "forecast", "loan-status")
                for v in element.xpath("descendant::" + path)
            )
        return True
    if rule == "date_order":
        less, more = _date(element, case["less"], now), _date(element, case["more"], now)
        return None if less is None or more is None else less <= more
    if rule == "date_now":
        found = element.xpath(case["date"])
        if not found:
            return None
        stamp = dt.datetime.fromisoformat(_text(found[0]))
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=dt.UTC)
        return stamp <= dt.datetime.now(dt.UTC)
    if rule == "time_limit":
        start, end = _date(element, case["start"], now), _date(element, case["end"], now)
        return None if start is None or end is None else _one_year_at_most(start, end)
    if rule == "between_dates":
        day = _date(element, case["date"], now)
        start, end = _date(element, case["start"], now), _date(element, case["end"], now)
        if day is None or start is None or end is None:
            return None
        return start <= day <= end
    if rule == "only_one_of":
        if any(element.xpath(x) for x in case["excluded"]):
            return not found
        return len(found) == 1
    if rule == "dependent":
        nested = [element.xpath(p) for p in paths]
        return all(nested) or not any(nested)
    if rule == "loop":
        for sub_rule, sub_cases in case["do"].items():
            for sub_case in sub_cases["cases"]:
                for value in set(map(_text, element.xpath(case["foreach"]))):
                    filled = dict(sub_case)
                    for key in case["subs"]:
                        template = sub_case[key]
                        filled[key] = (
                            [t.replace("$1", value) for t in template]
                            if isinstance(template, list)
                            else template.replace("$1", value)
                        )
                    if "condition" in filled:
                        filled["condition"] = filled["condition"].replace("$1", value)
                    for key in ("if", "then"):
                        if key in filled:
                            filled[key] = filled[key].replace("$1", value)
                    if _check(sub_rule, element, filled, now) is False:
                        return False
        return True
    raise ValueError(f"unknown rule type {rule}")


def check(document: bytes, now: dt.date | None = None) -> list[Failure]:
    """Every rule of the standard ruleset the document breaks (errors and warnings)."""
    now = now or dt.date.today()
    tree = etree.fromstring(document)
    failures: list[Failure] = []
    for context, rules in ruleset().items():
        for element in tree.getroottree().xpath(context):
            where = tree.getroottree().getpath(element)
            for rule, body in rules.items():
                for case in body["cases"]:
                    info: dict[str, Any] = case.get("ruleInfo") or next(
                        (
                            c.get("ruleInfo", {})
                            for b in case.get("do", {}).values()
                            for c in b["cases"]
                        ),
                        {},
                    )
                    if _check(rule, element, case, now) is False:
                        failures.append(
                            Failure(
                                str(info.get("id", rule)),
                                str(info.get("severity", "error")),
                                str(info.get("message", rule)),
                                where,
                            )
                        )
    return failures
