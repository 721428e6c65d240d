"""How much of the hand-written demo (liaison/demo/data.py) the intake reproduces from
the two sample documents: organisations (any name, acronym or alias matching), persons
(full name; rank too), and activities and events (type, and date where the demo has one).

    .venv/bin/python bench/intake_demo_coverage.py
"""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")

import django

django.setup()

from liaison.demo import data  # noqa: E402
from liaison.intake.pipeline import extract  # noqa: E402
from liaison.core.text import name_key  # noqa: E402

DOCS = Path(data.__file__).parent / "documents"
TYPES = {"technical_assistance": "other", "logistics": "other"}


def main() -> None:
    extractions = {
        spec.key: extract((DOCS / spec.file_name).read_bytes(), filename=spec.file_name)
        for spec in data.DOCUMENTS
    }
    org_keys = {
        name_key(n)
        for x in extractions.values()
        for o in x.organizations
        for n in (o.name, o.acronym, *o.aliases)
        if n
    }
    orgs = data.ORGANIZATIONS
    found_orgs = [
        o.key
        for o in orgs
        if {
            name_key(n) for n in (o.name_fr, o.name_en, o.acronym_fr, o.acronym_en, *o.aliases) if n
        }
        & org_keys
    ]
    persons = {name_key(p.name): p for x in extractions.values() for p in x.persons}
    found_persons = [p.key for p in data.PERSONS if name_key(p.full_name) in persons]
    ranked = [p for p in data.PERSONS if p.rank]
    found_ranks = [
        p.key
        for p in ranked
        if name_key(p.full_name) in persons
        and name_key(persons[name_key(p.full_name)].title_or_rank) == name_key(p.rank)
    ]
    proposed = {(a.type, a.start) for x in extractions.values() for a in x.activities}
    proposed_types = {t for t, _ in proposed}
    found_acts = [
        a.key
        for a in data.ACTIVITIES
        if TYPES.get(a.activity_type, a.activity_type) in proposed_types
    ]
    found_events = []
    for e in data.EVENTS:
        start = e.dates.period or (e.dates.start_date.isoformat() if e.dates.start_date else None)
        if (str(e.kind), start) in proposed:
            found_events.append(e.key)
    print(f"{'demo records':<28}{'found':>7}{'of':>5}")
    for label, found, total in (
        ("organisations", found_orgs, orgs),
        ("persons", found_persons, data.PERSONS),
        ("persons' ranks", found_ranks, ranked),
        ("activities (by type)", found_acts, data.ACTIVITIES),
        ("events (type and date)", found_events, data.EVENTS),
    ):
        print(f"{label:<28}{len(found):>7}{len(total):>5}")
    missing = [o.key for o in orgs if o.key not in found_orgs]
    print("organisations not found:", ", ".join(missing))
    print(
        "persons not found:", ", ".join(p.key for p in data.PERSONS if p.key not in found_persons)
    )


if __name__ == "__main__":
    main()
