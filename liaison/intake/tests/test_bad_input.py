"""Bad input through the real pipeline: each file gets its own clear message, and a
refused or failed file leaves nothing behind (no original, no proposal, no record)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.utils import translation
from pypdf import PdfWriter

from liaison.core.models import Membership, Source, TaskRun
from liaison.intake import services
from liaison.intake.models import IntakeDocument, Proposal
from tests import factories as f

pytestmark = pytest.mark.django_db

GERMAN = (
    "Die Bundeswehr unterstützt die Streitkräfte Malis seit vielen Jahren mit Ausbildung "
    "und Beratung. Im Februar fand in Bamako ein Lehrgang zum humanitären Völkerrecht "
    "statt, an dem zahlreiche Offiziere teilnahmen. Die Zusammenarbeit soll im nächsten "
    "Jahr fortgesetzt werden, obwohl die Sicherheitslage weiterhin schwierig bleibt."
)


def blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_each_bad_file_says_why_and_leaves_nothing(settings: Any) -> None:
    workspace = f.workspace()
    user = f.user()
    Membership.objects.create(user=user, workspace=workspace, role="editor")  # type: ignore[misc]
    uploads = [
        services.Upload("vide.txt", b""),
        services.Upload("photo.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)) * 8),
        services.Upload("enorme.txt", b"a" * (50 * 1024 * 1024)),
        services.Upload("scan.pdf", blank_pdf()),
        services.Upload("artikel.txt", GERMAN.encode()),
    ]
    with translation.override("en"):
        queued = services.queue_documents(uploads, user=user, workspace=workspace)
    refused = dict(queued.refused)
    assert set(refused) == {"vide.txt", "enorme.txt"}
    assert refused["vide.txt"] == "The file is empty."
    assert "too large (50.0 MB; at most 20.0 MB)" in refused["enorme.txt"]
    assert queued.run is not None
    run = TaskRun.objects.get(pk=queued.run.pk)
    assert run.result["failed"] == 3
    errors = dict(IntakeDocument.objects.values_list("file_name", "error"))
    assert set(errors) == {"photo.txt", "scan.pdf", "artikel.txt"}
    assert "not a text file" in errors["photo.txt"]
    assert "PDF without text" in errors["scan.pdf"]
    assert "language" in errors["artikel.txt"]
    assert "de" in errors["artikel.txt"]
    assert set(IntakeDocument.objects.values_list("status", flat=True)) == {"failed"}
    assert not Source.objects.exists()
    assert not Proposal.objects.exists()
