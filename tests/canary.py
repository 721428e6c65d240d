"""The canary world and crawler of tests/test_canary.py (issue 17).

Workspace A owns one private record of every kind whose every text field holds a
unique marker ("CANARY" and four characters), so that a marker found in an answer
names the model and field it leaked from. Workspace B owns (or is released) records
that link to A's private ones through every link to a kind with a release. The
crawler asks every URL the URL conf can produce, as each role of B and as a user with
no workspace, and looks for every marker in every answer: body, headers and the files
it carries (CSV, XLSX, PDF, iCalendar).
"""

from __future__ import annotations

import html
import io
import itertools
import re
import secrets
import time
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib import admin
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from liaison.core.choices import Release, Role
from liaison.core.links import has_release
from liaison.core.models import (
    CalendarToken,
    Citation,
    ExternalReference,
    Membership,
    SavedFilter,
    SearchEntry,
    TaskRun,
    Workspace,
)
from liaison.core.registry import child_models, record_models
from liaison.intake.models import IntakeDocument, Proposal, Rejection
from liaison.vetting.models import ScreeningHit
from tests import factories

MARKER_PREFIX = "CANARY"
_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
# A query that matches nothing: the admin's answer to it is what a marker's must equal
# when the marker is only in records the user may not see.
NOTHING = "zqxjvw"

# The summary of the last crawl, printed by tests/conftest.py at the end of the run.
SUMMARY: dict[str, int] = {}


# --- markers -------------------------------------------------------------------------------


@dataclass
class Markers:
    """Every marker and where it was put ("partners.Person.full_name #12")."""

    where: dict[str, str] = field(default_factory=dict)
    by_field: dict[tuple[type[models.Model], str], list[str]] = field(default_factory=dict)
    _count: Iterator[int] = field(default_factory=itertools.count)

    def new(self, place: str, key: tuple[type[models.Model], str] | None = None) -> str:
        n = next(self._count)
        suffix = "".join(_ALPHABET[(n // 36**i) % 36] for i in (3, 2, 1, 0))
        marker = f"{MARKER_PREFIX}{suffix}"
        self.where[marker] = place
        if key is not None:
            self.by_field.setdefault(key, []).append(marker)
        return marker


_MARKER = re.compile(MARKER_PREFIX.lower() + r"[0-9a-z]{4}")


def fold(text: str) -> str:
    """Lower case, HTML entities decoded, accents off: how a marker is looked for."""
    text = html.unescape(text).lower()
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


def _is_text(f: models.Field[Any, Any]) -> bool:
    return (
        isinstance(f, (models.CharField, models.TextField))
        and not f.choices
        and not f.primary_key
        and f.name not in ("release",)
    )


def marker_values(model: type[models.Model], markers: Markers) -> dict[str, Any]:
    """A unique marker for every text, file and JSON field of `model`."""
    values: dict[str, Any] = {}
    for f in model._meta.concrete_fields:
        if f.is_relation or (not f.editable and not isinstance(f, models.JSONField)):
            continue
        key = (model, f.name)
        place = f"{model._meta.label}.{f.name}"
        if isinstance(f, models.FileField):
            values[f.name] = f"canary/{markers.new(place, key)}.txt"
        elif isinstance(f, models.URLField):
            values[f.name] = f"https://canary.example/{markers.new(place, key)}"
        elif _is_text(f):
            values[f.name] = markers.new(place, key)
        elif isinstance(f, models.JSONField):
            default = f.get_default()
            marker = markers.new(place, key)
            values[f.name] = (
                {"name": marker, "text": marker} if isinstance(default, dict) else [marker]
            )
    return values


# --- the world -----------------------------------------------------------------------------


B_ROLES = [str(role) for role in Role.values]


@dataclass
class World:
    a: Workspace
    b: Workspace
    markers: Markers
    users: dict[str, AbstractUser]
    # Every id worth asking for, by model: A's private records and B's linking records.
    ids: dict[type[models.Model], list[int]] = field(default_factory=dict)
    a_ids: set[tuple[type[models.Model], int]] = field(default_factory=set)
    a_records: dict[type[models.Model], list[models.Model]] = field(default_factory=dict)
    b_records: dict[type[models.Model], list[models.Model]] = field(default_factory=dict)
    proposals: list[Proposal] = field(default_factory=list)
    b_document: IntakeDocument | None = None

    def add(self, obj: models.Model, side: str) -> None:
        model = type(obj)
        self.ids.setdefault(model, [])
        if obj.pk not in self.ids[model]:
            self.ids[model].append(obj.pk)
        if side == "a":
            self.a_ids.add((model, obj.pk))
        records = self.a_records if side == "a" else self.b_records
        records.setdefault(model, []).append(obj)


# Links that exclude one another (a vetting request's subject is a person or a unit):
# A's record takes the first; B's linking records take each in turn.
EXCLUSIVE = {"vetting.VettingRequest": ("subject_person", "subject_organization")}


def _relations(model: type[models.Model], skip: tuple[str, ...] = ()) -> list[Any]:
    """The foreign keys and many-to-many fields of `model` to kinds with a release."""
    if not skip:
        skip = EXCLUSIVE.get(model._meta.label, ())[1:]
    return [
        f
        for f in model._meta.get_fields()
        if f.name not in skip
        if (f.many_to_many or f.many_to_one or f.one_to_one)
        and f.concrete
        and f.related_model is not None
        and has_release(f.related_model)
        and f.name not in ("owner", "released_to", "created_by", "updated_by", "marking")
    ]


class Seeder:
    def __init__(self, world: World, actor: AbstractUser) -> None:
        self.world = world
        self.actor = actor
        self.seeding: set[type[models.Model]] = set()

    def a_record(self, model: type[models.Model]) -> models.Model:
        """A's private record of `model`, made once (a one-to-one link makes another)."""
        if model in self.world.a_records:
            return self.world.a_records[model][0]
        return self.new_a_record(model)

    def new_a_record(self, model: type[models.Model], **fields: Any) -> models.Model:
        self.seeding.add(model)
        values = marker_values(model, self.world.markers)
        m2m: dict[str, list[models.Model]] = {}
        for f in _relations(model):
            if f.name in fields:
                continue
            target = f.related_model
            if f.many_to_many:
                m2m[f.name] = [self.a_record(target)]
            elif f.one_to_one:
                values[f.name] = self.new_a_record(target)
            elif f.null and (target is model or target in self.seeding):
                continue  # a link back to what is being made (an organisation's parent)
            else:
                values[f.name] = self.a_record(target)
        if issubclass(model, tuple(record_models())):
            values.update(owner=self.world.a, release=Release.PRIVATE, created_by=self.actor)
        values.update(fields)
        obj = factories.FOR_MODEL[model](**values)
        for name, targets in m2m.items():
            getattr(obj, name).set(targets)
        self.world.add(obj, "a")
        self.seeding.discard(model)
        return obj

    def b_linking(
        self, model: type[models.Model], owner: Workspace, release: str, skip: tuple[str, ...] = ()
    ) -> Any:
        """A record B sees (owned by `owner` with `release`, released to B when owned by
        A) that links to A's private records through every link to a kind with a
        release; its own text holds no marker."""
        is_record = model in record_models()
        values: dict[str, Any] = {}
        m2m: dict[str, list[models.Model]] = {}
        parent_field = getattr(model, "parent_field", "")
        for f in _relations(model, skip):
            target = f.related_model
            if f.name == parent_field:
                continue
            if f.many_to_many:
                m2m[f.name] = [self.a_record(target)]
            elif f.one_to_one:
                values[f.name] = self.new_a_record(target)
            else:
                values[f.name] = self.a_record(target)
        values.update({name: None for name in skip if name})
        if parent_field:
            parent_model: Any = model._meta.get_field(parent_field).related_model
            values[parent_field] = self.b_parent(parent_model, owner, release)
        if is_record:
            values.update(owner=owner, release=release)
        obj: Any = factories.FOR_MODEL[model](**values)
        if is_record and owner != self.world.b and release == Release.NAMED:
            obj.released_to.set([self.world.b])
        for name, targets in m2m.items():
            getattr(obj, name).set(targets)
        self.world.add(obj, "b")
        return obj

    def b_parent(self, model: type[models.Model], owner: Workspace, release: str) -> Any:
        """The first linking record of `model` B has with this owner and release: the
        parent of B's children (one, so that the crawl asks few ids)."""
        for obj in self.world.b_records.get(model, []):
            same = getattr(obj, "owner_id", None), getattr(obj, "release", "")
            if same == (owner.pk, release):
                return obj
        return self.b_linking(model, owner, release)


def build_world() -> World:
    markers = Markers()
    a = factories.workspace(name="Mission Alpha", slug="mission-alpha")
    b = factories.workspace(name="Mission Bravo", slug="mission-bravo")
    a_user = factories.user(username=f"a-editor-{markers.new('auth.User.username (of A)')}")
    Membership.objects.create(user=a_user, workspace=a, role=Role.MANAGER)
    users: dict[str, AbstractUser] = {}
    for role in B_ROLES:
        users[f"B:{role}"] = factories.user(username=f"bravo-{role}", is_staff=True)
        Membership.objects.create(user=users[f"B:{role}"], workspace=b, role=role)
    users["nomember"] = factories.user(username="no-workspace", is_staff=True)
    world = World(a=a, b=b, markers=markers, users=users)
    seeder = Seeder(world, a_user)

    # A: one private record of every kind, every text field a marker.
    for model in [*record_models(), *child_models()]:
        seeder.a_record(model)
    # What is not a record but holds A's text: citations, external references, saved
    # filters, task runs and rejected mentions of A, a screening hit on A's person.
    org, person = (
        seeder.a_record(_model("partners.Organization")),
        seeder.a_record(_model("partners.Person")),
    )
    source = seeder.a_record(_model("core.Source"))
    citation = factories.citation(
        record=org, source=source, quote=markers.new("core.Citation.quote", (Citation, "quote"))
    )
    world.add(citation, "a")
    world.add(
        factories.external_reference(
            record=person, value=markers.new("core.ExternalReference.value")
        ),
        "a",
    )
    world.add(
        factories.saved_filter(
            user=a_user,
            name=markers.new("core.SavedFilter.name"),
            query=f"q={markers.new('core.SavedFilter.query')}",
        ),
        "a",
    )
    world.add(
        TaskRun.objects.create(
            kind="canary",
            label=markers.new("core.TaskRun.label"),
            user=a_user,
            workspace=a,
            message=markers.new("core.TaskRun.message"),
            result={"text": markers.new("core.TaskRun.result")},
        ),
        "a",
    )
    world.add(
        Rejection.objects.create(workspace=a, kind="person", text=markers.new("intake.Rejection")),
        "a",
    )
    world.add(factories.screening_hit(person=person, organization=None), "b")

    # B: records that link to A's private records, owned by B, and owned by A but
    # released to B (a session released to B whose course is private to A; an
    # enrolment of it whose trainee is private to A), and a vetting request of B.
    for model in [*record_models(), *child_models()]:
        exclusive = EXCLUSIVE.get(model._meta.label, ("",))
        for kept in exclusive:
            skip = tuple(name for name in exclusive if name != kept) or ("",)
            seeder.b_linking(model, b, Release.PRIVATE, skip)
            seeder.b_linking(model, a, Release.NAMED, skip)
    # A's citation of B's organisation, from A's private source.
    b_org = world.b_records[_model("partners.Organization")][0]
    world.add(factories.citation(record=b_org, source=source, quote="Passage public."), "b")
    # Vetting batches need trainees and beneficiary units that no request covers yet:
    # B's enrolments and participations take fresh persons and units private to A.
    for obj in world.b_records[_model("training.Enrollment")]:
        obj.status = "enrolled"
        obj.person = seeder.new_a_record(_model("partners.Person"))
        obj.save()
    for obj in world.b_records[_model("activities.ActivityParticipation")]:
        obj.role = "beneficiary"
        obj.organization = seeder.new_a_record(_model("partners.Organization"))
        obj.save()

    # Every user of B has a calendar feed of B.
    for user in users.values():
        CalendarToken.objects.create(user=user, key=secrets.token_hex(16))

    # B's intake document, with a proposal per merge target to try.
    world.b_document = factories.intake_document(
        owner=b,
        release=Release.PRIVATE,
        source=factories.source(owner=b, release=Release.PRIVATE, title="Source de Bravo"),
    )
    world.add(world.b_document, "b")
    return world


def _model(label: str) -> type[models.Model]:
    from django.apps import apps

    return apps.get_model(label)


def merge_targets(world: World) -> list[str]:
    """Labels `app.model:pk` of rows holding A's markers that are not records with a
    release: the tables an intake merge must not read."""
    targets = []
    for model, ids in world.ids.items():
        if model in record_models():
            history: Any = model.history.model  # type: ignore[attr-defined]
            for row in history.objects.filter(id__in=ids, owner=world.a)[:1]:
                targets.append(f"{history._meta.label_lower}:{row.history_id}")
    for entry in SearchEntry.objects.filter(text__icontains=MARKER_PREFIX.lower())[:3]:
        targets.append(f"core.searchentry:{entry.pk}")
    for extra in (Citation, ExternalReference, SavedFilter, TaskRun, Rejection):
        for pk in world.ids.get(extra, [])[:1]:
            targets.append(f"{extra._meta.label_lower}:{pk}")
    return targets


# --- URL patterns --------------------------------------------------------------------------


@dataclass
class Route:
    template: str  # "vetting/coverage/<kind>/<pk>/"
    params: list[str]
    callback: Any
    name: str  # "vetting:coverage"


_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")
_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


def _template(pattern: Any) -> str:
    text = str(pattern.pattern)
    if text.startswith("^") or text.endswith("$"):
        text = _GROUP.sub(lambda m: f"<{m.group(1)}>", text.lstrip("^").rstrip("$"))
        text = text.replace("\\.", ".").replace("\\Z", "")
    return _CONVERTER.sub(lambda m: f"<{m.group(1)}>", text)


def routes() -> list[Route]:
    """Every URL pattern of the URL conf, its parameters named."""
    found: list[Route] = []

    def walk(patterns: list[Any], prefix: str, namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}:{p.namespace}" if p.namespace else namespace
                walk(p.url_patterns, prefix + _template(p), ns)
            elif isinstance(p, URLPattern):
                template = prefix + _template(p)
                name = f"{namespace}:{p.name}".lstrip(":") if p.name else ""
                found.append(Route(template, re.findall(r"<(\w+)>", template), p.callback, name))

    walk(get_resolver().url_patterns, "/", "")
    return found


def route_model(route: Route) -> type[models.Model] | None:
    """The model whose ids fill the route's `pk`, from its view where it says."""
    callback = route.callback
    model_admin = getattr(callback, "model_admin", None)
    if model_admin is not None:
        return model_admin.model  # type: ignore[no-any-return]
    for holder in (getattr(callback, "view_class", None), getattr(callback, "cls", None)):
        model = getattr(holder, "model", None)
        if isinstance(model, type) and issubclass(model, models.Model):
            return model
        queryset = getattr(holder, "queryset", None)
        if queryset is not None:
            return queryset.model  # type: ignore[no-any-return]
    if route.name.startswith("admin:"):
        # The admin's own views of a model ("admin:otp_totp_totpdevice_config").
        for model in admin.site._registry:
            meta = model._meta
            if route.name.startswith(f"admin:{meta.app_label}_{meta.model_name}_"):
                return model
        return None
    return FUNCTION_VIEW_MODELS.get(route.name)


# The function views with an id, and the model of that id.
FUNCTION_VIEW_MODELS: dict[str, type[models.Model]] = {}


def _function_view_models() -> None:
    FUNCTION_VIEW_MODELS.update(
        {
            "task_run": TaskRun,
            "reports:report_file": TaskRun,
            "intake:bulk": IntakeDocument,
            "intake:proposal_edit": Proposal,
            "intake:proposal_decide": Proposal,
            "vetting:screeninghit_adjudicate": ScreeningHit,
            "vetting:decide": _model("vetting.VettingRequest"),
        }
    )


# --- answers -------------------------------------------------------------------------------


def answer_text(response: Any) -> tuple[str, list[str]]:
    """The text of an answer (its body, and the text of the file it carries) and the
    names of the files read."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    files: list[str] = []
    parts = []
    if body[:2] == b"PK":
        files.append("xlsx")
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            for name in archive.namelist():
                if name.endswith((".xml", ".rels")):
                    parts.append(archive.read(name).decode("utf-8", "replace"))
    elif body[:5] == b"%PDF-":
        from pypdf import PdfReader

        files.append("pdf")
        reader = PdfReader(io.BytesIO(body))
        parts.extend(page.extract_text() or "" for page in reader.pages)
        parts.append(str(reader.metadata or ""))
    else:
        if "calendar" in kind:
            files.append("ics")
            # Long iCalendar lines are folded: CRLF and a space.
            body = body.replace(b"\r\n ", b"")
        elif "csv" in kind:
            files.append("csv")
        parts.append(body.decode("utf-8", "replace"))
    headers = "\n".join(f"{k}: {v}" for k, v in response.items())
    return headers + "\n" + "\n".join(parts), files


@dataclass
class Crawl:
    world: World
    folded_markers: dict[str, str] = field(default_factory=dict)
    urls: set[str] = field(default_factory=set)
    answers: int = 0
    files: int = 0
    leaks: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.folded_markers = {m.lower(): m for m in self.world.markers.where}

    def check(
        self,
        who: str,
        client: Client,
        method: str,
        url: str,
        data: dict[str, Any] | None = None,
        **extra: Any,
    ) -> Any:
        """Ask, then look for every marker the request did not itself carry."""
        self.urls.add(f"{method} {url.split('?')[0]}")
        began = time.monotonic()
        try:
            response = getattr(client, method.lower())(url, data or {}, **extra)
        except Exception as error:
            self.errors.append(f"{who} {method} {url}: {type(error).__name__}: {error}")
            return None
        self.answers += 1
        key = re.sub(r"\d+", "N", url.split("?")[0])
        self.timings[key] = self.timings.get(key, 0.0) + time.monotonic() - began
        text, files = answer_text(response)
        self.files += len(files)
        asked = fold(url + " " + " ".join(str(v) for v in (data or {}).values()))
        folded = fold(text)
        for found in sorted(set(_MARKER.findall(folded))):
            original = self.folded_markers.get(found)
            if original is None or found in asked:
                continue
            place = self.world.markers.where[original]
            where = _where(folded, found, response)
            self.leaks.append(
                f"{who} {method} {url} [{response.status_code}]: {original} "
                f"({place}) in {where}{' ' + '+'.join(files) if files else ''}"
            )
        return response

    def leak(self, text: str) -> None:
        self.leaks.append(text)


def _where(folded: str, marker: str, response: Any) -> str:
    headers = fold("\n".join(f"{k}: {v}" for k, v in response.items()))
    if marker in headers:
        return "headers"
    at = folded.find(marker)
    context = folded[max(0, at - 60) : at + len(marker) + 20].replace("\n", " ")
    return f"body «…{' '.join(context.split())}…»"


def admin_rows(body: str) -> set[str]:
    """The change links of an admin changelist's rows."""
    return set(re.findall(r'href="(/admin/[^"]+/\d+/change/)[^"]*"', body))


def client_for(user: AbstractUser) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(user)
    return client


def api_client(user: AbstractUser) -> Client:
    from rest_framework.authtoken.models import Token

    token, _created = Token.objects.get_or_create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}", HTTP_ACCEPT_LANGUAGE="fr")


def content_type_of(model: type[models.Model]) -> int:
    return int(ContentType.objects.get_for_model(model).pk)


def registered_admins() -> dict[type[models.Model], Any]:
    return dict(admin.site._registry)


Resolver = Callable[[Route, str], list[str]]
