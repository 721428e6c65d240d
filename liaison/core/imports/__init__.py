"""Bulk import of records from CSV and XLSX: one declaration per kind in each app's
`imports.py` (core.imports.spec), a dry run and an all-or-nothing commit
(core.imports.engine), bulk writes that keep history, audit and search right
(core.bulk), templates (core.imports.reading), pages and `liaison import`."""
