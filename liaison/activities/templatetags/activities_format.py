"""Amounts written as the reader's language writes them: "1 500,00 €", "€1,500.00"."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from babel.numbers import format_currency
from django import template
from django.utils.translation import get_language, to_locale

register = template.Library()


@register.filter
def money(amount: Decimal | int | float | None, currency: Any) -> str:
    if amount is None or amount == "":
        return ""
    locale = to_locale(get_language() or "fr")
    try:
        return format_currency(amount, str(currency), locale=locale)
    except (ValueError, LookupError):
        return format_currency(amount, str(currency), locale="fr")
