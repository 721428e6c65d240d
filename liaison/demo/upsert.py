"""Create-or-update helpers that write only what changed.

`update_or_create` saves on every call; here an unchanged record is not saved again,
so that loading the demo twice adds no history row, audit link or version.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models


def _same(obj: models.Model, name: str, value: Any) -> bool:
    field = obj._meta.get_field(name)
    if isinstance(field, models.ForeignKey):
        wanted = value.pk if isinstance(value, models.Model) else value
        return bool(getattr(obj, field.attname) == wanted)
    return bool(getattr(obj, name) == value)


def upsert[M: models.Model](
    model: type[M], lookup: Mapping[str, Any], values: Mapping[str, Any]
) -> M:
    """The record matching `lookup`, created or brought up to `values`; validated."""
    obj = model._default_manager.filter(**lookup).order_by("pk").first()
    if obj is None:
        obj = model(**{**values, **lookup})
    else:
        changed = [name for name, value in values.items() if not _same(obj, name, value)]
        if not changed:
            return obj
        for name in changed:
            setattr(obj, name, values[name])
    obj.full_clean()
    obj.save()
    return obj


def set_m2m(obj: models.Model, name: str, targets: Iterable[models.Model]) -> None:
    """Make the many-to-many `name` hold exactly `targets`, touching nothing if it does."""
    targets = list(targets)
    manager: Any = getattr(obj, name)
    current = set(manager.values_list("pk", flat=True))
    if current != {target.pk for target in targets}:
        manager.set(targets)
