"""The markings an installation starts with; administrators may add others."""

from typing import Any

DEFAULT_MARKINGS = [
    # code, French, English, level
    ("non-protege", "Non protégé", "Unclassified", 0),
    ("diffusion-limitee", "Diffusion limitée", "Limited distribution", 1),
    ("diffusion-restreinte", "Diffusion restreinte", "Restricted", 2),
]


def ensure_default_markings(marking_model: Any) -> None:
    for code, name_fr, name_en, level in DEFAULT_MARKINGS:
        marking_model.objects.get_or_create(
            code=code, defaults={"name_fr": name_fr, "name_en": name_en, "level": level}
        )
