"""Filter backends: the model's filterset (shared with the list pages) and ordering."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import filters
from rest_framework.request import Request


class OrderingFilter(filters.OrderingFilter):
    """`?ordering=field,-other`, always ending on the primary key so that pages are stable."""

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: Any) -> Any:
        ordering = list(super().get_ordering(request, queryset, view) or [])
        if not any(term.lstrip("-") in ("pk", "id") for term in ordering):
            last = ordering[-1] if ordering else "pk"
            ordering.append("-pk" if last.startswith("-") else "pk")
        return ordering
