"""Import a list file again and again: what is new, changed or gone is recorded.

All or nothing: the whole file is read and checked before anything is written, and the
writes happen in one transaction. An entry's checksum covers its schema and properties,
so importing the same file twice changes no entry.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from liaison.vetting.models import ScreeningEntry, ScreeningImport, ScreeningList
from liaison.vetting.screening.formats import READERS, entity_caption


def entity_checksum(entity: dict[str, Any]) -> str:
    data = json.dumps(
        {"schema": entity["schema"], "properties": entity["properties"]},
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(data.encode()).hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def import_list(path: Path, list_name: str, fmt: str) -> dict[str, Any]:
    """Read ``path`` (``fmt`` is "ftm" or "ofac-csv") into the list; return the summary."""
    entities = list(READERS[fmt](path))  # raises ListFormatError before any write
    now = timezone.now()
    with transaction.atomic():
        screening_list, _created = ScreeningList.objects.select_for_update().get_or_create(
            name=list_name
        )
        existing = {
            e.entity_id: e
            for e in ScreeningEntry.objects.filter(screening_list=screening_list).only(
                "pk", "entity_id", "checksum", "removed_at"
            )
        }
        new: list[ScreeningEntry] = []
        changed: list[ScreeningEntry] = []
        seen: set[str] = set()
        unchanged = 0
        for entity in entities:
            seen.add(entity["id"])
            checksum = entity_checksum(entity)
            entry = existing.get(entity["id"])
            if entry is None:
                new.append(
                    ScreeningEntry(
                        screening_list=screening_list,
                        entity_id=entity["id"],
                        schema=entity["schema"],
                        caption=entity_caption(entity),
                        properties=entity["properties"],
                        checksum=checksum,
                    )
                )
            elif entry.checksum != checksum or entry.removed_at is not None:
                entry.schema = entity["schema"]
                entry.caption = entity_caption(entity)
                entry.properties = entity["properties"]
                entry.checksum = checksum
                entry.last_changed = now
                entry.removed_at = None
                changed.append(entry)
            else:
                unchanged += 1
        gone = [e.pk for key, e in existing.items() if key not in seen and e.removed_at is None]
        ScreeningEntry.objects.bulk_create(new, batch_size=1000)
        ScreeningEntry.objects.bulk_update(
            changed,
            ["schema", "caption", "properties", "checksum", "last_changed", "removed_at"],
            batch_size=1000,
        )
        for start in range(0, len(gone), 1000):
            ScreeningEntry.objects.filter(pk__in=gone[start : start + 1000]).update(removed_at=now)
        summary: dict[str, Any] = {
            "list": list_name,
            "file": path.name,
            "format": fmt,
            "sha256": file_sha256(path),
            "entities": len(entities),
            "new": len(new),
            "changed": len(changed),
            "removed": len(gone),
            "unchanged": unchanged,
            "at": now.isoformat(),
        }
        ScreeningImport.objects.create(
            screening_list=screening_list,
            file_name=path.name[:300],
            file_format=fmt,
            sha256=summary["sha256"],
            new=len(new),
            changed=len(changed),
            removed=len(gone),
            unchanged=unchanged,
        )
        if new or changed or gone or screening_list.last_imported_at is None:
            screening_list.last_imported_at = now
        screening_list.last_import_summary = summary
        screening_list.save(update_fields=["last_imported_at", "last_import_summary"])
    return summary
