"""Alphabetical order as a French or English reader expects it, on SQLite and PostgreSQL.

- Accents, case and punctuation do not count: "École" sorts with the E's, not after
  "Z" (a plain ORDER BY compares code points). Both databases compare the text folded
  as `core.text.fold` folds it (the same folding as search), so that they give the same
  order: SQLite through a collation Liaison registers on each connection, PostgreSQL
  through core SQL (translate, lower, regexp_replace; no extension, no ICU collation).
- A bilingual name sorts by the reader's language, falling back to the other language
  when it is empty: a record without a French name sorts by its English name, not first.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, Func, Value
from django.db.models.expressions import OrderBy
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import get_language

from liaison.core.text import fold

SQLITE_COLLATION = "liaison_fold"


def _accent_table() -> tuple[str, str]:
    """Latin letters with diacritics and the letter fold makes of each, for translate()."""
    source, target = [], []
    for code in range(0xC0, 0x250):
        char = chr(code)
        folded = fold(char)
        if len(folded) == 1 and folded.isascii() and folded != char:
            source.append(char)
            target.append(folded)
    return "".join(source), "".join(target)


ACCENTED, PLAIN = _accent_table()


def _compare(a: str, b: str) -> int:
    key_a, key_b = fold(a), fold(b)
    return (key_a > key_b) - (key_a < key_b)


def register_sqlite_collation(sender: Any, connection: Any, **kwargs: Any) -> None:
    """connection_created: teach each SQLite connection the folded order."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_COLLATION, _compare)


class Alphabetical(Func):
    """The expression compared as folded text: the reader's alphabetical order."""

    template = "%(expressions)s"
    arity = 1

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template=f"%(expressions)s COLLATE {SQLITE_COLLATION}", **extra
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = self.as_sql(compiler, connection, **extra)
        # fold(): accents off, lower case, every run of non-letters one space, trimmed;
        # then compared by code point, as Python compares the folded text on SQLite.
        folded = (
            f"btrim(regexp_replace(lower(translate(({sql})::text, %s, %s)), "
            "'[^[:alnum:]]+', ' ', 'g')) COLLATE \"C\""
        )
        return folded, (*params, ACCENTED, PLAIN)


def localized(path: str) -> Alphabetical:
    """The name at `path` (without _fr/_en) in the reader's language, else the other one."""
    first, second = ("fr", "en") if (get_language() or "fr").startswith("fr") else ("en", "fr")
    return Alphabetical(
        Coalesce(NullIf(F(f"{path}_{first}"), Value("")), F(f"{path}_{second}"), Value(""))
    )


def alphabetical(path: str) -> Alphabetical:
    """A one-language text (a person's full name) in alphabetical order."""
    return Alphabetical(F(path))


def by_name(queryset: Any, path: str, descending: bool = False) -> Any:
    """`queryset` ordered by the bilingual name at `path`, then by id (a stable order)."""
    return queryset.order_by(
        OrderBy(localized(path), descending=descending), "-pk" if descending else "pk"
    )
