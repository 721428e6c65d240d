"""Reading lists: FollowTheMoney JSON lines (OpenSanctions) and the OFAC SDN legacy CSV.

Both readers yield plain FollowTheMoney-shaped dicts ``{"id", "schema", "properties"}``
for the entities that can be screened (persons, organisations, vessels...); Sanction
entities are folded into the properties of the entity they designate ("program").
A bad line raises ListFormatError naming the line and why, and nothing is imported.
"""

from __future__ import annotations

import csv
import datetime
import json
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import pycountry
from django.utils.translation import gettext as _
from followthemoney import model as ftm_model
from followthemoney.proxy import EntityProxy

SCREENED_SCHEMAS = frozenset(
    {"Person", "Organization", "Company", "LegalEntity", "PublicBody", "Vessel", "Airplane"}
)
NAME_PROPS = ("name", "alias", "weakAlias", "previousName", "firstName", "lastName")


class ListFormatError(ValueError):
    pass


def entity_names(entity: dict[str, Any]) -> list[str]:
    """The name, then aliases and previous names; first + last name when there is no name."""
    props = entity.get("properties", {})
    names: list[str] = []
    for prop in ("name", "alias", "previousName", "weakAlias"):
        for value in props.get(prop, []):
            if value and value not in names:
                names.append(value)
    first, last = props.get("firstName", []), props.get("lastName", [])
    if first and last:
        full = f"{first[0]} {last[0]}"
        if full not in names:
            names.append(full)
    return names


def entity_caption(entity: dict[str, Any]) -> str:
    names = entity_names(entity)
    return (names[0] if names else entity.get("id", ""))[:500]


def read_ftm(path: Path) -> Iterator[dict[str, Any]]:
    """Entities as followthemoney's model reads them (`get_proxy`): a property their
    schema does not define is left out, a value given twice is kept once."""
    entities: dict[str, dict[str, Any]] = {}
    sanctions: list[EntityProxy] = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ListFormatError(
                    _("line %(line)s: not JSON (%(error)s)") % {"line": lineno, "error": exc}
                ) from exc
            if not isinstance(data, dict) or not data.get("id") or not data.get("schema"):
                raise ListFormatError(
                    _("line %(line)s: an entity needs an id and a schema") % {"line": lineno}
                )
            props = data.get("properties") or {}
            if not isinstance(props, dict) or any(not isinstance(v, list) for v in props.values()):
                raise ListFormatError(
                    _("line %(line)s: properties must map names to lists of values")
                    % {"line": lineno}
                )
            if data["schema"] != "Sanction" and data["schema"] not in SCREENED_SCHEMAS:
                continue  # addresses, ownerships...: nothing to screen
            proxy = ftm_model.get_proxy(
                {"id": data["id"], "schema": data["schema"], "properties": props}
            )
            if proxy.schema.name == "Sanction":
                sanctions.append(proxy)
                continue
            if proxy.id in entities:
                raise ListFormatError(
                    _("line %(line)s: entity %(id)s appears twice")
                    % {"line": lineno, "id": data["id"]}
                )
            entities[str(proxy.id)] = {
                "id": proxy.id,
                "schema": proxy.schema.name,
                "properties": proxy.properties,
            }
    for sanction in sanctions:
        for target in sanction.get("entity"):
            if target in entities:
                programs = entities[target]["properties"].setdefault("program", [])
                for p in sanction.get("program"):
                    if p not in programs:
                        programs.append(p)
    yield from entities.values()


# --- OFAC SDN legacy CSV ----------------------------------------------------------------

_EMPTY = "-0-"
_SDN_TYPES = {"individual": "Person", "vessel": "Vessel", "aircraft": "Airplane"}
_AKA = re.compile(r"\b[af]\.k\.a\.\s*'([^']+(?:'[^';]+)*)'", re.I)
_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}


def ofac_date(text: str) -> str | None:
    text = text.strip().lower().removeprefix("circa").strip()
    m = re.fullmatch(r"(\d{1,2}) ([a-z]{3}) (\d{4})", text)
    if m and m.group(2) in _MONTHS:
        try:
            return datetime.date(int(m.group(3)), _MONTHS[m.group(2)], int(m.group(1))).isoformat()
        except ValueError:
            return None
    m = re.fullmatch(r"([a-z]{3}) (\d{4})", text)
    if m and m.group(1) in _MONTHS:
        return f"{m.group(2)}-{_MONTHS[m.group(1)]:02d}"
    m = re.fullmatch(r"(\d{4})(?: to \d{4})?", text)
    return m.group(1) if m else None


@lru_cache(maxsize=2000)
def country_code(name: str) -> str | None:
    name = name.strip().rstrip(".")
    if not name:
        return None
    try:
        return str(pycountry.countries.lookup(name).alpha_2).lower()
    except LookupError:
        try:
            return str(pycountry.countries.search_fuzzy(name)[0].alpha_2).lower()
        except LookupError:
            return None


def _person_name(sdn_name: str) -> str:
    if ", " in sdn_name:
        last, first = sdn_name.split(", ", 1)
        return f"{first} {last}"
    return sdn_name


def ofac_entity(row: dict[str, str]) -> dict[str, Any]:
    def val(key: str) -> str:
        v = (row.get(key) or "").strip()
        return "" if v == _EMPTY else v

    ent = val("ent_num")
    name = val("sdn_name")
    if not ent or not name:
        raise ListFormatError(_("an SDN row needs ent_num and sdn_name"))
    schema = _SDN_TYPES.get(val("sdn_type").lower(), "LegalEntity")
    if schema == "LegalEntity" and not val("sdn_type"):
        schema = "Organization"
    remarks = val("remarks")
    props: dict[str, list[str]] = {"name": [name]}
    aliases = [a.strip() for a in _AKA.findall(remarks)]
    if schema == "Person":
        props["alias"] = [_person_name(name)]
        aliases = [_person_name(a) for a in aliases]
    props.setdefault("alias", []).extend(a for a in aliases if a not in props["alias"])
    dates: list[str] = []
    countries: list[str] = []
    for part in remarks.split(";"):
        part = part.strip()
        low = part.lower()
        if low.startswith(("dob ", "alt. dob ")):
            d = ofac_date(part.split("DOB", 1)[-1] if "DOB" in part else part[4:])
            if d and d not in dates:
                dates.append(d)
        elif low.startswith(("nationality ", "alt. nationality ", "citizen ", "alt. citizen ")):
            code = country_code(
                part.split(" ", 2)[-1] if low.startswith("alt.") else part.split(" ", 1)[1]
            )
            if code and code not in countries:
                countries.append(code)
    if dates:
        props["birthDate"] = dates
    if countries:
        props["nationality" if schema == "Person" else "country"] = countries
    if val("program"):
        props["program"] = [p.strip() for p in val("program").split("] [")]
    if val("title"):
        props["position"] = [val("title")]
    return {"id": f"ofac-{ent}", "schema": schema, "properties": props}


def read_ofac_csv(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8", errors="replace", newline="") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or "sdn_name" not in reader.fieldnames:
            raise ListFormatError(
                _("the file has no header row with ent_num, sdn_name, sdn_type, ..., remarks")
            )
        seen: set[str] = set()
        for lineno, row in enumerate(reader, start=2):
            if not any((v or "").strip(" \x1a") for v in row.values()):
                continue  # blank line, or the end-of-file mark of the legacy file
            try:
                entity = ofac_entity(row)
            except ListFormatError as exc:
                raise ListFormatError(
                    _("line %(line)s: %(error)s") % {"line": lineno, "error": exc}
                ) from exc
            if entity["id"] in seen:
                raise ListFormatError(
                    _("line %(line)s: entity %(id)s appears twice")
                    % {"line": lineno, "id": entity["id"]}
                )
            seen.add(entity["id"])
            yield entity


READERS = {"ftm": read_ftm, "ofac-csv": read_ofac_csv}


def guess_format(path: Path) -> str:
    return "ofac-csv" if path.suffix.lower() == ".csv" else "ftm"


def to_record(entity: dict[str, Any]) -> Any:
    """The matcher's view of an entity."""
    from liaison.vetting.screening.matcher import Record

    props = entity.get("properties", {})
    countries: list[str] = []
    for prop in ("nationality", "citizenship", "country", "jurisdiction"):
        for c in props.get(prop, []):
            c = str(c).lower()
            if c and c not in countries:
                countries.append(c)
    return Record(
        id=entity["id"],
        schema=entity["schema"],
        caption=entity_caption(entity),
        names=entity_names(entity),
        birth_dates=[str(d) for d in props.get("birthDate", [])],
        countries=countries,
    )
