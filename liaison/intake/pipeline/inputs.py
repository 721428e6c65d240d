"""Input step: bytes of an uploaded file to text, whatever the format (text, HTML, PDF,
DOCX), or a clear IntakeInputError (empty, binary, too large, no text)."""

from __future__ import annotations

import io
import os
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from liaison.intake.pipeline.errors import IntakeInputError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def max_bytes() -> int:
    """The size limit of one document: LIAISON_INTAKE_MAX_BYTES, 20 MB by default."""
    try:
        return int(os.environ.get("LIAISON_INTAKE_MAX_BYTES", DEFAULT_MAX_BYTES))
    except ValueError:
        return DEFAULT_MAX_BYTES


@dataclass
class RawDocument:
    text: str
    kind: str  # "text", "html", "pdf", "docx"
    metadata: dict[str, Any] = field(default_factory=dict)


def _extension(filename: str) -> str:
    return os.path.splitext(filename.lower())[1]


def _looks_html(text: str) -> bool:
    head = text.lstrip()[:500].lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in text)


def _decode(data: bytes, filename: str) -> str:
    if b"\x00" in data[:8192]:
        raise IntakeInputError(
            _("%(name)s is not a text file (it holds binary data).") % {"name": filename}
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        sample = text[:20000]
        controls = sum(1 for c in sample if ord(c) < 32 and c not in "\n\r\t\f")
        if sample and controls / len(sample) > 0.01:
            break
        return text
    raise IntakeInputError(
        _("%(name)s is not a text file (it holds binary data).") % {"name": filename}
    )


def _read_pdf(data: bytes, filename: str) -> RawDocument:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, OSError) as exc:
        raise IntakeInputError(
            _("%(name)s could not be read as a PDF: %(error)s") % {"name": filename, "error": exc}
        ) from exc
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if len(text.strip()) < 20:
        raise IntakeInputError(
            _(
                "%(name)s is a PDF without text (a scanned image?): it needs text recognition "
                "(OCR) before intake."
            )
            % {"name": filename}
        )
    return RawDocument(text, "pdf", {"pages": len(pages)})


def _read_docx(data: bytes, filename: str) -> RawDocument:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several unrelated types
        raise IntakeInputError(
            _("%(name)s could not be read as a Word document: %(error)s")
            % {"name": filename, "error": exc}
        ) from exc
    parts = [p.text for p in document.paragraphs if p.text.strip()]
    for table in document.tables:
        for row in table.rows:
            cells = [c.text.strip() for c in row.cells if c.text.strip()]
            if cells:
                parts.append(" | ".join(cells))
    meta: dict[str, Any] = {}
    props = document.core_properties
    if props.title:
        meta["title"] = props.title
    if props.author:
        meta["author"] = props.author
    return RawDocument("\n\n".join(parts), "docx", meta)


def _read_html(html: str) -> RawDocument:
    import trafilatura

    meta: dict[str, Any] = {}
    doc = trafilatura.bare_extraction(
        html, include_comments=False, include_tables=True, with_metadata=True, fast=True
    )
    text = ""
    if doc is not None:
        text = getattr(doc, "text", "") or ""
        for name in ("title", "date", "author", "sitename", "url"):
            value = getattr(doc, name, None)
            if value:
                meta[name if name != "date" else "published"] = value
    if not text.strip():
        import lxml.html

        text = lxml.html.fromstring(html).text_content()
    return RawDocument(text, "html", meta)


def read_document(content: bytes | str, filename: str) -> RawDocument:
    """Turn what was uploaded or pasted into text. Raises IntakeInputError."""
    size = len(content.encode("utf-8")) if isinstance(content, str) else len(content)
    limit = max_bytes()
    if size > limit:
        raise IntakeInputError(
            _("%(name)s is too large (%(size)d MB); the limit is %(limit)d MB.")
            % {"name": filename, "size": size // 1_000_000, "limit": limit // 1_000_000}
        )
    if isinstance(content, bytes):
        if not content.strip():
            raise IntakeInputError(_("%(name)s is empty.") % {"name": filename})
        ext = _extension(filename)
        if content.startswith(b"%PDF"):
            return _read_pdf(content, filename)
        if ext == ".pdf":
            raise IntakeInputError(_("%(name)s is not a valid PDF file.") % {"name": filename})
        if content.startswith(b"PK"):
            if zipfile.is_zipfile(io.BytesIO(content)) and ext in (".docx", ".docm", ""):
                return _read_docx(content, filename)
            raise IntakeInputError(
                _("%(name)s is a compressed archive, not a document Liaison can read.")
                % {"name": filename}
            )
        if ext == ".docx":
            raise IntakeInputError(
                _("%(name)s is not a valid Word (DOCX) file.") % {"name": filename}
            )
        text = _decode(content, filename)
    else:
        text = content
        ext = _extension(filename)
    if not text.strip():
        raise IntakeInputError(_("%(name)s is empty.") % {"name": filename})
    if ext in (".html", ".htm", ".xhtml") or _looks_html(text):
        raw = _read_html(text)
        if not raw.text.strip():
            raise IntakeInputError(_("%(name)s holds no readable text.") % {"name": filename})
        return raw
    return RawDocument(text.replace("\r\n", "\n").replace("\r", "\n"), "text")
