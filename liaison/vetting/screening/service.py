"""Screening the persons and organisations of Liaison against the imported lists.

A hit is raised for a (list entry, subject) pair that scores at or above the threshold.
Its fingerprint covers the entry as imported (checksum) and the subject's screened data
(names, aliases, birth date, nationality or country): while both stay the same, the pair
is not raised again, whatever the adjudication said. When either changes, an open hit is
updated in place, and an adjudicated one is kept as it was and a new open hit is raised.
Open hits that no longer match (the subject's name was corrected, the entry removed) are
withdrawn (deleted: they were never decided).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from liaison.partners.models import Organization, Person
from liaison.vetting.models import ScreeningEntry, ScreeningHit
from liaison.vetting.screening import explain
from liaison.vetting.screening.formats import to_record
from liaison.vetting.screening.matcher import DEFAULT_THRESHOLD, Hit, Index, Query
from liaison.vetting.screening.normalize import name_text

_cache: dict[str, Any] = {}
_lock = threading.Lock()


def threshold() -> float:
    return float(getattr(settings, "LIAISON_SCREENING_THRESHOLD", DEFAULT_THRESHOLD))


def active_entries() -> Any:
    return ScreeningEntry.objects.filter(removed_at__isnull=True)


def _generation() -> tuple[Any, ...]:
    agg = ScreeningEntry.objects.aggregate(
        n=Count("pk"),
        active=Count("pk", filter=Q(removed_at__isnull=True)),
        changed=Max("last_changed"),
        removed=Max("removed_at"),
        last=Max("pk"),
    )
    return (agg["n"], agg["active"], agg["changed"], agg["removed"], agg["last"])


def current_index() -> Index:
    """The index of all active entries, rebuilt only when the entries have changed."""
    generation = _generation()
    with _lock:
        if _cache.get("generation") != generation:
            records = []
            for pk, entity_id, schema, props in (
                active_entries()
                .values_list("pk", "entity_id", "schema", "properties")
                .iterator(chunk_size=2000)
            ):
                record = to_record({"id": entity_id, "schema": schema, "properties": props})
                record.ref = pk
                records.append(record)
            _cache["index"] = Index(records)
            _cache["generation"] = generation
        index: Index = _cache["index"]
    return index


# --- subjects ----------------------------------------------------------------------------


def person_query(person: Person) -> Query:
    names = [person.full_name]
    if person.given_names and person.family_name:
        names.append(f"{person.given_names} {person.family_name}")
    names += [a for a in (person.aliases or []) if isinstance(a, str)]
    nationality = person.nationality.alpha2.lower() if person.nationality else None
    return Query(
        names=[n for n in dict.fromkeys(names) if n.strip()],
        birth_date=person.birth_date.isoformat() if person.birth_date else None,
        countries=[nationality] if nationality else [],
        kind="person",
    )


def organization_query(org: Organization) -> Query:
    names = [org.name_fr, org.name_en, *[a for a in (org.aliases or []) if isinstance(a, str)]]
    country = org.country.alpha2.lower() if org.country else None
    return Query(
        names=[n for n in dict.fromkeys(names) if n and n.strip()],
        countries=[country] if country else [],
        kind="organization",
    )


def query_fingerprint(query: Query) -> str:
    data = {
        "names": sorted({name_text(n) for n in query.names}),
        "birth_date": query.birth_date,
        "countries": sorted(query.countries),
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def hit_fingerprint(entry_checksum: str, subject_fingerprint: str) -> str:
    return hashlib.sha256(f"{entry_checksum}:{subject_fingerprint}".encode()).hexdigest()


# --- screening ---------------------------------------------------------------------------


def _reconcile(subject_field: str, subject: Any, query: Query, hits: list[Hit]) -> dict[str, int]:
    counts = {"raised": 0, "updated": 0, "withdrawn": 0}
    subject_fp = query_fingerprint(query)
    existing: dict[int, list[ScreeningHit]] = {}
    for h in ScreeningHit.objects.filter(**{subject_field: subject}).order_by("pk"):
        existing.setdefault(h.entry_id, []).append(h)
    checksums = dict(
        ScreeningEntry.objects.filter(pk__in=[h.record.ref for h in hits]).values_list(
            "pk", "checksum"
        )
    )
    matched: set[int] = set()
    for hit in hits:
        entry_id = hit.record.ref
        if entry_id not in checksums:
            continue
        matched.add(entry_id)
        fp = hit_fingerprint(checksums[entry_id], subject_fp)
        previous = existing.get(entry_id, [])
        if any(p.fingerprint == fp for p in previous):
            continue  # this very pair was raised already (and perhaps decided)
        fields = {
            "score": Decimal(str(round(hit.score, 3))),
            "explanation": explain.render(hit.explanation),
            "explanation_parts": hit.explanation,
            "fingerprint": fp,
        }
        still_open = [p for p in previous if p.status == ScreeningHit.Status.OPEN]
        if still_open:
            ScreeningHit.objects.filter(pk=still_open[-1].pk).update(**fields)
            counts["updated"] += 1
        else:
            ScreeningHit.objects.create(entry_id=entry_id, **{subject_field: subject}, **fields)
            counts["raised"] += 1
    stale = [
        p.pk
        for entry_id, hs in existing.items()
        if entry_id not in matched
        for p in hs
        if p.status == ScreeningHit.Status.OPEN
    ]
    if stale:
        ScreeningHit.objects.filter(pk__in=stale).delete()
        counts["withdrawn"] += len(stale)
    return counts


def screen(
    persons: Iterable[Person] = (),
    organizations: Iterable[Organization] = (),
    index: Index | None = None,
) -> dict[str, int]:
    """Screen these subjects against the active entries and record the hits."""
    if index is None:
        index = current_index()
    limit = threshold()
    totals = {"screened": 0, "raised": 0, "updated": 0, "withdrawn": 0}
    with transaction.atomic():
        pairs: list[tuple[str, Any, Query]] = [
            *(("person", p, person_query(p)) for p in persons),
            *(("organization", o, organization_query(o)) for o in organizations),
        ]
        for field, subject, query in pairs:
            hits = index.search(query, limit) if len(index) else []
            for key, n in _reconcile(field, subject, query, hits).items():
                totals[key] += n
            totals["screened"] += 1
    return totals


def screen_everyone(progress: Any = None) -> dict[str, int]:
    index = current_index()
    persons = Person.objects.select_related("nationality").order_by("pk")
    orgs = Organization.objects.select_related("country").order_by("pk")
    total = persons.count() + orgs.count()
    totals = {"screened": 0, "raised": 0, "updated": 0, "withdrawn": 0}
    done = 0
    for field_qs, is_person in ((persons, True), (orgs, False)):
        batch: list[Any] = []
        for subject in field_qs.iterator(chunk_size=500):
            batch.append(subject)
            if len(batch) >= 500:
                part = screen(batch, (), index) if is_person else screen((), batch, index)
                done += len(batch)
                batch = []
                for k, v in part.items():
                    totals[k] += v
                if progress:
                    progress.advance(done, total)
        if batch:
            part = screen(batch, (), index) if is_person else screen((), batch, index)
            done += len(batch)
            for k, v in part.items():
                totals[k] += v
    if progress:
        progress.advance(done, total)
    return totals


def adjudicate(hit: ScreeningHit, status: str, reason: str, user: Any) -> ScreeningHit:
    hit.status = status
    hit.reason = reason
    hit.adjudicated_by = user if getattr(user, "is_authenticated", False) else None
    hit.adjudicated_at = timezone.now()
    hit.save(update_fields=["status", "reason", "adjudicated_by", "adjudicated_at"])
    return hit
