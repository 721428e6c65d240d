"""Pages: numbered for the small tables, cursors for the big ones.

A cursor stays correct while rows are added and costs the same on the last page as
on the first; numbered pages give a total count, which the small tables can afford.
"""

from __future__ import annotations

from rest_framework import pagination


class PagePagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class CursorPagination(pagination.CursorPagination):
    """Ordered by the view's ordering (a unique tie-breaker is added by `filters`)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "-pk"
