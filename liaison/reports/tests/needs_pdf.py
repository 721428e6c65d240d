"""Skip what draws a PDF where WeasyPrint cannot load Pango (a bare machine), saying why."""

from __future__ import annotations

import pytest


def _why_no_pdf() -> str:
    try:
        import weasyprint  # noqa: F401
    except OSError as exc:  # the shared library is missing, not the Python package
        return (
            f"WeasyPrint cannot load Pango ({exc}): "
            "apt-get install libpango-1.0-0 libpangoft2-1.0-0"
        )
    return ""


WHY_NO_PDF = _why_no_pdf()
needs_pdf = pytest.mark.skipif(bool(WHY_NO_PDF), reason=WHY_NO_PDF or "PDF available")
