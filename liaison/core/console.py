"""The language of the command line: English, as the README, unless
LIAISON_CONSOLE_LANGUAGE says otherwise (pages follow each user's language)."""

from __future__ import annotations

import os


def console_language() -> str:
    return os.environ.get("LIAISON_CONSOLE_LANGUAGE", "en")
