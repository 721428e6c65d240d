"""`{{ record|linked }}`: a linked record as a link to its page, or as the notice that it
is not released to the reader (core.links.Withheld), or as a dash when there is none."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def linked(record: Any, text: Any = "") -> SafeString:
    """`text` names the record instead of its `str()` (e.g. `position.organization.name`);
    a withheld record always reads as the notice."""
    if record is None or record == "":
        return format_html('<span class="muted">{}</span>', "—")
    url = record.get_absolute_url() if hasattr(record, "get_absolute_url") else None
    if not url:
        return format_html('<span class="muted">{}</span>', str(record))
    return format_html('<a href="{}">{}</a>', url, text or str(record))
