"""Plain-language explanations of a hit, rendered in the active language.

The matcher stores each part as a code with parameters (ScreeningHit.explanation_parts);
this module turns them into sentences through gettext, so the same hit reads in French
or in English.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


def _messages() -> dict[str, str]:
    return {
        "name": _("Compared with the listed name “%(entry)s”."),
        "alias": _("Compared with the alias “%(entry)s” of the listed entry."),
        "stripped": _("Rank or title “%(words)s” left out."),
        "same": _("“%(query)s” is the same word as “%(entry)s”."),
        "variant": _("“%(query)s” is a known spelling variant of “%(entry)s”."),
        "initial": _("The initial “%(query)s” fits “%(entry)s”."),
        "sound": _("“%(query)s” sounds like “%(entry)s” (%(pct)s%% alike)."),
        "spelling": _("“%(query)s” is spelt like “%(entry)s” (%(pct)s%% alike)."),
        "compact": _("“%(query)s” and “%(entry)s” are alike when written as one word."),
        "missing_in_entry": _("“%(word)s” is not in the listed name."),
        "extra_in_entry": _("The listed name also has “%(word)s”."),
        "dob_same": _("Same birth date (%(date)s)."),
        "dob_year": _("Birth date %(query)s fits the listed %(entry)s."),
        "dob_same_year": _("Same birth year, but another day (%(query)s; listed %(entry)s)."),
        "dob_close": _("Birth year close but not the same (%(query)s; listed %(entry)s)."),
        "dob_differs": _("Different birth date (%(query)s; listed %(entry)s)."),
        "country_same": _("Same nationality or country (%(country)s)."),
        "country_differs": _("Different nationality or country (%(query)s; listed %(entry)s)."),
        "duplicates": _(
            "The same person is listed %(count)s more time(s) (%(entries)s): one hit for all."
        ),
    }


def render(parts: list[dict[str, Any]]) -> str:
    messages = _messages()
    out = []
    same = [str(p.get("query", "")) for p in parts if p.get("code") == "same"]
    if same:
        words = ", ".join(f"“{w}”" for w in same)
        out.append(_("Words in common: %(words)s.") % {"words": words})
    for part in parts:
        if part.get("code") == "same":
            continue
        template = messages.get(str(part.get("code")))
        if template is None:
            continue
        try:
            out.append(template % part)
        except (KeyError, TypeError, ValueError):
            continue
    return " ".join(out)
