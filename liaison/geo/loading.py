"""Fill Country and Subdivision from pycountry, with French names from its catalogues."""

from __future__ import annotations

import gettext
from typing import Any

import pycountry


def _french(domain: str) -> gettext.NullTranslations:
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=["fr"], fallback=True)


def load_countries(country_model: Any, subdivision_model: Any) -> tuple[int, int]:
    """Create or refresh every country and subdivision; returns the two counts."""
    fr_countries = _french("iso3166-1")
    fr_subdivisions = _french("iso3166-2")
    known = {c.alpha2: c for c in country_model.objects.all()}
    fresh, stale = [], []
    for c in pycountry.countries:
        values = {
            "alpha3": c.alpha_3,
            "numeric": c.numeric,
            "name_en": getattr(c, "common_name", None) or c.name,
            "name_fr": fr_countries.gettext(c.name),
        }
        obj = known.get(c.alpha_2)
        if obj is None:
            fresh.append(country_model(alpha2=c.alpha_2, **values))
        else:
            for key, value in values.items():
                setattr(obj, key, value)
            stale.append(obj)
    country_model.objects.bulk_create(fresh, batch_size=500)
    country_model.objects.bulk_update(stale, ["alpha3", "numeric", "name_en", "name_fr"])
    countries: dict[str, Any] = {c.alpha2: c for c in country_model.objects.all()}
    existing = {s.code: s for s in subdivision_model.objects.all()}
    pending_parents: list[tuple[Any, str]] = []
    new, changed = [], []
    for s in pycountry.subdivisions:
        values = {
            "country": countries[s.country_code],
            "name": s.name,
            "name_fr": fr_subdivisions.gettext(s.name),
            "category": s.type,
        }
        obj = existing.get(s.code)
        if obj is None:
            obj = subdivision_model(code=s.code, **values)
            new.append(obj)
        else:
            for key, value in values.items():
                setattr(obj, key, value)
            changed.append(obj)
        if s.parent_code:
            pending_parents.append((obj, s.parent_code))
    subdivision_model.objects.bulk_create(new, batch_size=500)
    subdivision_model.objects.bulk_update(
        changed, ["country", "name", "name_fr", "category"], batch_size=500
    )
    by_code = {s.code: s for s in subdivision_model.objects.all()}
    with_parent = []
    for obj, parent_code in pending_parents:
        parent = by_code.get(parent_code)
        if parent is not None:
            child = by_code[obj.code]
            child.parent = parent
            with_parent.append(child)
    subdivision_model.objects.bulk_update(with_parent, ["parent"], batch_size=500)
    return country_model.objects.count(), subdivision_model.objects.count()
