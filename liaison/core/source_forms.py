"""The form of a source: its metadata; the text and file only when the source is added.

A source is a document as received: once recorded, its text and file are what the
citations point into, so they are not edited afterwards.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.core.forms import RELEASE_FIELDS, RecordForm
from liaison.core.models import Source

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
METADATA = [
    "title", "kind", "url", "publisher", "author", "published_on", "modified_on", "language",
    "notes",
]  # fmt: skip
CONTENT = ["text", "file"]


class SourceForm(RecordForm):
    class Meta:
        model = Source
        fields = [*METADATA, *CONTENT, *RELEASE_FIELDS]
        widgets = {"published_on": DATE_WIDGET, "modified_on": DATE_WIDGET}

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        if self.instance.pk is not None:
            for name in CONTENT:
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.instance.pk is None and not (
            cleaned.get("text") or cleaned.get("file") or cleaned.get("url")
        ):
            raise forms.ValidationError(_("Give the text, the file or the address of the source."))
        return cleaned

    def save(self, commit: bool = True) -> Any:
        source: Source = self.instance
        if source.pk is None:
            upload = self.cleaned_data.get("file")
            if upload:
                digest = hashlib.sha256()
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
                source.sha256 = digest.hexdigest()
                source.file_name = source.file_name or upload.name
            elif source.text:
                source.sha256 = hashlib.sha256(source.text.encode("utf-8")).hexdigest()
        return super().save(commit)
