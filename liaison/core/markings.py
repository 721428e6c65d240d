"""The markings an installation starts with; administrators may add others."""

DEFAULT_MARKINGS = [
    # code, French, English, level
    ("non-protege", "Non protégé", "Unclassified", 0),
    ("diffusion-limitee", "Diffusion limitée", "Limited distribution", 1),
    ("diffusion-restreinte", "Diffusion restreinte", "Restricted", 2),
]
