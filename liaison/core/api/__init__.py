"""The REST API machinery, written once and configured per app (`liaison/<app>/api/`).

- `views.RecordViewSet`: starts from `visible()`, answers 404 for what the caller may not
  see, checks `access.can` / `access.can_add` for writes, filters with the model's
  filterset (the one the list page uses), orders, paginates, and guards writes with
  ETag / If-Match under the row lock.
- `serializers.RecordSerializer`: owner, marking, release, version and audit fields,
  validation by the model's own rules (`full_clean`), related-record fields restricted
  to what the caller may see.
- `errors.exception_handler`: one JSON error shape, in the caller's language.
- `bulk.BulkUpsertMixin`: all-or-nothing creation or update of many records.
"""
