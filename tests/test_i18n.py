"""The French and English catalogues: complete, consistent, compiled and in use.

The .po files are kept in git; the .mo files are built by `make messages` (which
`make install` and `make test` run), so the tests on pages need it to have run.
"""

from __future__ import annotations

import functools
import gettext
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.test import Client
from django.utils import translation
from django.utils.functional import Promise
from simple_history.models import HistoricalChanges

from liaison.core.choices import Role
from liaison.core.models import Membership, Preference
from liaison.partners.models import Person
from tests import factories

LOCALE = Path(settings.LOCALE_PATHS[0])
LANGUAGES = ("fr", "en")
MAKE_MESSAGES = "run `make messages` (or `liaison compilemessages` in liaison/)"

# printf-style placeholders (%s, %d, %(name)s, %%), str.format fields ({0}, {name})
# and HTML tags: a translation keeps each of them, as many times as the source has it.
_PRINTF = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")
_BRACES = re.compile(r"\{[^{}\s]*\}")
_TAGS = re.compile(r"<[^>]+>")

# Fields that simple_history adds to every historical model, named by it in English.
_SIMPLE_HISTORY_FIELDS = frozenset(
    {"history_id", "history_date", "history_change_reason", "history_type", "history_user"}
)
# Known gaps in the code (fields without a translatable verbose_name), reported to be
# fixed in the model: remove an entry once it is fixed (a test checks it is still a gap).
_NOT_YET_TRANSLATABLE = frozenset({("core.audithead", "last_hash"), ("core.audithead", "length")})
_MODELS_WITHOUT_PLURAL = frozenset({"core.audithead"})


@functools.cache
def catalogue(language: str) -> Catalog:
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as po:
        return read_po(po)


def _messages(language: str) -> list[Message]:
    return [message for message in catalogue(language) if message.id]


def _ids(message: Message) -> list[str]:
    """The msgid, or the singular and the plural."""
    return list(message.id) if isinstance(message.id, (tuple, list)) else [message.id]


def _strings(message: Message) -> list[str]:
    """The msgstr, or one per plural form ('' when untranslated)."""
    if isinstance(message.string, (tuple, list)):
        return [string or "" for string in message.string]
    return [message.string or ""]


def _translated(message: Message) -> bool:
    return not message.fuzzy and all(_strings(message))


@functools.cache
def french() -> dict[str, str]:
    """msgid (the singular for plurals) → its French translation, when translated."""
    return {
        _ids(message)[0]: _strings(message)[0]
        for message in _messages("fr")
        if _translated(message)
    }


def _markers(text: str) -> Counter[str]:
    return Counter([*_PRINTF.findall(text), *_BRACES.findall(text), *_TAGS.findall(text)])


def _msgid(text: Any) -> str:
    """The source text of a lazy translation (what gettext is asked to translate)."""
    with translation.override(None):
        return str(text)


# --- (a) the catalogues themselves ----------------------------------------------------


def test_french_catalogue_is_complete_and_has_no_fuzzy_entry() -> None:
    fr = catalogue("fr")
    assert str(fr.locale) == "fr"
    assert fr.num_plurals == 2, "French has two plural forms: plural=(n > 1)"
    assert not fr.fuzzy, "the header is marked fuzzy"
    untranslated = [message.id for message in _messages("fr") if not _translated(message)]
    assert untranslated == [], f"{len(untranslated)} French entries to translate or check"


def test_translations_keep_every_placeholder_and_tag() -> None:
    mismatches = []
    for message in _messages("fr"):
        mismatches += [
            (source, translated)
            for source, translated in zip(_ids(message), _strings(message), strict=True)
            if _markers(source) != _markers(translated)
        ]
    assert mismatches == []


def test_both_catalogues_have_the_same_entries() -> None:
    """makemessages writes both at once: a catalogue left behind misses new strings."""
    ids = {language: {m.id for m in _messages(language)} for language in LANGUAGES}
    assert ids["fr"] == ids["en"]
    assert catalogue("en").num_plurals == 2


# --- (b) compiled and in use ------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_the_po_file(language: str) -> None:
    mo = LOCALE / language / "LC_MESSAGES" / "django.mo"
    assert mo.exists(), f"{mo} is missing: {MAKE_MESSAGES}"
    with mo.open("rb") as compiled:
        built: dict[Any, str] = gettext.GNUTranslations(compiled)._catalog  # type: ignore[attr-defined]
    stale = []
    for message in _messages(language):
        if not _translated(message):
            continue
        msgid, strings = _ids(message)[0], _strings(message)
        if message.context:  # gettext keys a message with a context as "context\x04msgid"
            msgid = f"{message.context}\x04{msgid}"
        if isinstance(message.id, (tuple, list)):
            expected: dict[Any, str] = {(msgid, n): s for n, s in enumerate(strings)}
        else:
            expected = {msgid: strings[0]}
        stale += [key for key, value in expected.items() if built.get(key) != value]
    assert stale == [], f"{mo} is older than its .po file: {MAKE_MESSAGES}"


@pytest.fixture
def member(db: None) -> Any:
    user: Any = factories.user()
    Membership.objects.create(user=user, workspace=factories.owner_workspace(), role=Role.VIEWER)
    return user


def _client(user: Any, **headers: Any) -> Client:
    client = Client(**headers)
    client.force_login(user)
    return client


# What a list page says around its table, then the heading of the persons' list.
_FRENCH_CHROME = ('<html lang="fr">', "Colonnes", "Enregistrer ce filtre sous")
_ENGLISH_CHROME = ('<html lang="en">', "Columns", "Save this filter as")
_FRENCH_PAGE = (*_FRENCH_CHROME, "<h1>Personnes</h1>")
_ENGLISH_PAGE = (*_ENGLISH_CHROME, "<h1>Persons</h1>")


def _speaks(page: Any, expected: tuple[str, ...], other: tuple[str, ...]) -> None:
    assert page.status_code == 200
    html = page.content.decode()
    for text in expected:
        assert text in html
    for text in other:
        assert text not in html


def test_model_names_are_translated() -> None:
    with translation.override("fr"):
        assert str(Person._meta.verbose_name_plural) == "personnes"
        assert str(Membership._meta.verbose_name) == "appartenance"
    with translation.override("en"):
        assert str(Person._meta.verbose_name_plural) == "persons"


def test_pages_follow_accept_language(member: Any) -> None:
    french_page = _client(member, HTTP_ACCEPT_LANGUAGE="fr").get("/persons/")
    _speaks(french_page, _FRENCH_PAGE, _ENGLISH_PAGE)
    english_page = _client(member, HTTP_ACCEPT_LANGUAGE="en").get("/persons/")
    _speaks(english_page, _ENGLISH_PAGE, _FRENCH_PAGE)
    # "Organisations" is the same word in both languages: the page around it is not.
    organizations = _client(member, HTTP_ACCEPT_LANGUAGE="fr").get("/organizations/")
    _speaks(organizations, (*_FRENCH_CHROME, "<h1>Organisations</h1>", "Nature"), _ENGLISH_CHROME)
    organizations = _client(member, HTTP_ACCEPT_LANGUAGE="en").get("/organizations/")
    _speaks(organizations, (*_ENGLISH_CHROME, "<h1>Organisations</h1>", "Kind"), _FRENCH_CHROME)


def test_french_is_the_default_language(member: Any) -> None:
    _speaks(_client(member).get("/persons/"), _FRENCH_PAGE, _ENGLISH_PAGE)
    login = Client().get("/accounts/login/").content.decode()
    assert "Se connecter" in login
    assert "Log in" not in login


def test_language_cookie_and_preference(member: Any) -> None:
    client = _client(member, HTTP_ACCEPT_LANGUAGE="fr")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    _speaks(client.get("/persons/"), _ENGLISH_PAGE, _FRENCH_PAGE)
    # The user's own preference comes before the browser's and the cookie's.
    Preference.objects.create(user=member, language="fr")
    _speaks(client.get("/persons/"), _FRENCH_PAGE, _ENGLISH_PAGE)


# --- (c) every model and field has a French name ---------------------------------------


def _liaison_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m._meta.app_config.name.startswith("liaison")]


def _untranslated(text: Any) -> str | None:
    """Why `text` does not reach the French catalogue, or None when it does."""
    if not isinstance(text, Promise):
        return f"{text!r} is not a lazy translation"
    msgid = _msgid(text)
    if msgid not in french():
        return f"{msgid!r} is not translated in the French catalogue"
    return None


def test_every_model_has_a_french_name() -> None:
    problems = []
    for model in _liaison_models():
        if issubclass(model, HistoricalChanges):
            continue  # named by simple_history: "historical <verbose_name>"
        names = [model._meta.verbose_name]
        if model._meta.label_lower not in _MODELS_WITHOUT_PLURAL:
            names.append(model._meta.verbose_name_plural)
        problems += [
            f"{model._meta.label}: {why}" for name in names if (why := _untranslated(name))
        ]
    assert problems == []


def _fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    fields = []
    for field in model._meta.get_fields():
        if not isinstance(field, models.Field) or isinstance(field, GenericForeignKey):
            continue
        if field.auto_created:
            continue  # the automatic primary key and parent links
        if issubclass(model, HistoricalChanges) and field.name in _SIMPLE_HISTORY_FIELDS:
            continue
        fields.append(field)
    return fields


def test_every_field_and_choice_has_a_french_name() -> None:
    problems = []
    for model in _liaison_models():
        for field in _fields(model):
            where = f"{model._meta.label}.{field.name}"
            if (model._meta.label_lower, field.name) in _NOT_YET_TRANSLATABLE:
                continue
            if why := _untranslated(field.verbose_name):
                problems.append(f"{where}: {why}")
            for _value, label in field.flatchoices or ():
                if why := _untranslated(label):
                    problems.append(f"{where} choice: {why}")
            if field.help_text and (why := _untranslated(field.help_text)):
                problems.append(f"{where} help text: {why}")
    assert problems == []


def test_known_gaps_are_still_gaps() -> None:
    """An exemption above is removed as soon as the model gives the field a French name."""
    for label, name in _NOT_YET_TRANSLATABLE:
        field = apps.get_model(label)._meta.get_field(name)
        assert _untranslated(field.verbose_name) is not None, f"remove {label}.{name}"
    for label in _MODELS_WITHOUT_PLURAL:
        plural = apps.get_model(label)._meta.verbose_name_plural
        assert _untranslated(plural) is not None, f"remove {label}"


def test_french_field_names_on_a_model() -> None:
    with translation.override("fr"):
        assert str(Person._meta.get_field("family_name").verbose_name) == "nom de famille"
        assert str(Person._meta.get_field("rank").verbose_name) == "grade"


# --- (d) the language switch ------------------------------------------------------------


def test_language_switch_changes_the_page_language(member: Any) -> None:
    client = _client(member, HTTP_ACCEPT_LANGUAGE="fr")
    _speaks(client.get("/persons/"), _FRENCH_PAGE, _ENGLISH_PAGE)
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/persons/"})
    assert switched.status_code == 302
    assert switched["Location"] == "/persons/"
    _speaks(client.get("/persons/"), _ENGLISH_PAGE, _FRENCH_PAGE)
    client.post("/i18n/setlang/", {"language": "fr", "next": "/persons/"})
    _speaks(client.get("/persons/"), _FRENCH_PAGE, _ENGLISH_PAGE)


def test_language_switch_without_logging_in(db: None) -> None:
    client = Client()
    assert "Se connecter" in client.get("/accounts/login/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    page = client.get("/accounts/login/").content.decode()
    assert "Log in" in page
    assert "Se connecter" not in page


def test_french_colons_have_a_non_breaking_space_before_them() -> None:
    """French puts a (non-breaking) space before a colon that ends a word: "Pays : Mali",
    never "Pays: Mali" nor a breakable "Pays : Mali" (URLs and times aside)."""
    wrong = []
    for message in catalogue("fr"):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            if re.search(r"(?:[^\s\u00a0:]|[ \u202f]):(?=\s|$)", text or ""):
                wrong.append(text)
    assert wrong == []
