"""The canary crawler (issue 17): no answer carries a word of a record the user may not see.

Workspace A owns a private record of every kind whose every text field holds a unique
marker (tests/canary.py); workspace B owns, or is released, records that link to them
through every link to a kind with a release. As each role of B, and as a user with no
workspace, the crawler asks every URL the URL conf can produce (lists with each filter,
sort, search and export; details, edits, deletes, history, coverage, queue, intake,
tasks, admin pages and searches, API lists and details, the calendar feed, the PDF
report) with the ids of A's records and of B's, after the POSTs known to have leaked
(vetting batches, intake merges into any table), and fails once with every marker
found in any answer: body, headers or the file it carries.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.contrib.admin.views.main import SEARCH_VAR
from django.db import models
from django.test import Client
from django.utils import timezone

from liaison.core.generic import ObjectListView
from liaison.core.imports.spec import kinds as import_kinds
from liaison.core.models import TaskRun
from liaison.core.querysets import visible
from liaison.core.registry import record_models
from tests import canary, factories
from tests.canary import NOTHING, Crawl, Route, World

pytestmark = pytest.mark.django_db

# The roles asked with every variant of every list (each filter, sort and export) and
# every admin search: what they see differs (vetting files are an officer's). The others
# ask every URL plainly, and each list's exports.
DEEP = ("B:viewer", "B:vetting_officer")

# Routes not asked with GET, and why (listed in the report of the crawl).
NOT_ASKED = {
    "logout": "logs the crawler out",
    "intake:proposal_decide": "POST only; merges are posted before the crawl",
    "core:import_preview": "its token is a secret of an upload in progress",
    "admin:view_on_site": "a redirect to the record's own page, which is crawled",
    "admin:logout": "logs the crawler out",
}


def _marker_prefix(world: World, n: int) -> str:
    return next(iter(world.markers.where))[:n]


def _filter_values(world: World, name: str, f: Any) -> list[str]:
    """What to give a filter: the id of A's private record of its model, else a marker."""
    queryset = getattr(f, "queryset", None) or f.extra.get("queryset")
    model = getattr(queryset, "model", None) or getattr(f, "model", None)
    if model is not None and model in world.ids:
        return [str(world.ids[model][0])]
    return [_marker_prefix(world, 8)]


def _list_variants(world: World, route: Route) -> list[str]:
    """A list page as it is asked: plain, searched, each filter, each sort, each export."""
    view: Any = getattr(route.callback, "view_class", None) or getattr(route.callback, "cls", None)
    filterset = getattr(view, "filterset_class", None)
    table = getattr(view, "table_class", None)
    variants = ["", f"?q={_marker_prefix(world, 5)}"]
    if filterset is not None:
        for name, f in filterset.base_filters.items():
            if name in ("q", "columns", "sort", "export"):
                continue
            variants += [f"?{name}={value}" for value in _filter_values(world, name, f)]
    if table is not None:
        columns = list(table.base_columns)
        every = "&".join(f"columns={c}" for c in columns)
        variants += [f"?{every}&sort={c}" for c in columns]
        variants += [f"?{every}&export=csv", f"?{every}&export=xlsx"]
    ordering = getattr(view, "ordering_fields", None)
    if route.template.startswith("/api/") and isinstance(ordering, (list, tuple)):
        variants += [f"?ordering={o}" for o in ordering]
    return variants


def _fill(world: World, route: Route, user: Any, deep: bool) -> list[str]:
    """The URLs of a route, its parameters filled with the ids worth asking."""
    params, template = route.params, route.template
    model = canary.route_model(route)
    ids = {m: list(v) for m, v in world.ids.items()}
    url_sets: list[dict[str, Any]] = []
    if not params:
        url_sets = [{}]
    elif set(params) <= {"pk", "object_id"} and model is not None:
        url_sets = [
            {params[0]: pk}
            for pk in ids.get(model, [])
            # A's private records answer 404 whatever the role: the deep roles ask them.
            if deep or (model, pk) not in world.a_ids
        ]
    elif set(params) == {"kind", "pk"}:
        for kind, label in (
            ("session", "training.Session"),
            ("activity", "activities.Activity"),
            ("event", "events.Event"),
        ):
            url_sets += [{"kind": kind, "pk": pk} for pk in ids[canary._model(label)]]
    elif set(params) == {"object_id", "history_id"} and model is not None:
        history: Any = getattr(model, "history", None)
        if history is not None:
            rows = history.model.objects.filter(id__in=ids.get(model, []))
            url_sets = [{"object_id": r.id, "history_id": r.history_id} for r in rows[:2]]
    elif params == ["slug"]:
        url_sets = [{"slug": k.slug} for k in import_kinds()]
    elif set(params) == {"slug", "fmt"}:
        url_sets = [{"slug": k.slug, "fmt": f} for k in import_kinds() for f in ("csv", "xlsx")]
    elif set(params) == {"app_label", "model_name"}:
        url_sets = [
            {"app_label": m._meta.app_label, "model_name": m._meta.model_name}
            for m in record_models()
        ]
    elif params == ["app_label"]:
        url_sets = [{"app_label": a} for a in sorted({m._meta.app_label for m in ids})]
    elif set(params) == {"workspace", "key"}:
        url_sets = [
            {"workspace": w.slug, "key": user.calendar_token.key} for w in (world.a, world.b)
        ]
    elif params == ["pk"] and not route.name.startswith("admin:"):
        # A function view with no model known: every id seeded.
        every = sorted({pk for v in ids.values() for pk in v})
        url_sets = [{"pk": pk} for pk in every]
    urls = []
    for values in url_sets:
        url = template
        for name, value in values.items():
            url = url.replace(f"<{name}>", str(value))
        if "<" not in url:
            urls.append(url)
    return urls


def _is_list(route: Route) -> bool:
    view = getattr(route.callback, "view_class", None)
    if isinstance(view, type) and issubclass(view, ObjectListView):
        return True
    actions = getattr(route.callback, "actions", None) or {}
    return route.template.startswith("/api/") and actions.get("get") == "list"


def _admin_search_paths(model_admin: Any) -> list[tuple[type[models.Model], str]]:
    """The model and field each of an admin's search fields reads."""
    found = []
    for lookup in model_admin.search_fields:
        model, parts = model_admin.model, lookup.lstrip("^=@").split("__")
        for part in parts[:-1]:
            model = model._meta.get_field(part).related_model
        found.append((model, parts[-1]))
    return found


def _admin_inference(crawl: Crawl, world: World, who: str, client: Client) -> None:
    """An admin search for a word only A's hidden records hold must answer the rows a
    search for nothing answers: else the rows tell what the hidden records say. Each
    field an admin searches is asked for its marker (the leak names the field), then
    every admin for the prefixes (3, 5 and 8 characters) A's markers share."""
    for model_admin in canary.registered_admins().values():
        if not model_admin.search_fields:
            continue
        meta = model_admin.model._meta
        url = f"/admin/{meta.app_label}/{meta.model_name}/"
        baseline_response = crawl.check(who, client, "GET", f"{url}?{SEARCH_VAR}={NOTHING}")
        if baseline_response is None or baseline_response.status_code != 200:
            continue
        baseline = canary.admin_rows(baseline_response.content.decode())
        asked: list[tuple[str, str]] = []
        for target, name in _admin_search_paths(model_admin):
            for marker in world.markers.by_field.get((target, name), [])[:1]:
                asked.append((marker, f"{target._meta.label}.{name} ({marker})"))
        marker = next(iter(world.markers.where))
        asked += [(marker[:n], "a prefix every marker shares") for n in (3, 5, 8)]
        for q, what in asked:
            response = crawl.check(who, client, "GET", f"{url}?{SEARCH_VAR}={q}")
            if response is None:
                continue
            rows = canary.admin_rows(response.content.decode())
            if rows != baseline:
                crawl.leak(
                    f"{who} GET {url}?{SEARCH_VAR}={q}: admin search infers what A's hidden "
                    f"records hold: {what}; rows {sorted(rows - baseline)} answer, none for "
                    f"{NOTHING!r}"
                )


def _post_known_leaks(crawl: Crawl, world: World) -> None:
    """The POSTs whose results pages have leaked: vetting batches, intake merges."""
    officer = canary.client_for(world.users["B:vetting_officer"])
    requests = canary._model("vetting.VettingRequest")._default_manager
    before = set(requests.values_list("pk", flat=True))
    for kind, label in (("session", "training.Session"), ("activity", "activities.Activity")):
        for obj in world.b_records[canary._model(label)]:
            crawl.check("B:vetting_officer", officer, "POST", f"/vetting/batch/{kind}/{obj.pk}/")
    # A batch names its subjects: none of them may be hidden from the officer (the queue
    # shows B's requests on A's hidden subjects, seeded, either way).
    user = world.users["B:vetting_officer"]
    person, unit = canary._model("partners.Person"), canary._model("partners.Organization")
    for made in requests.exclude(pk__in=before):
        for model, subject in (
            (person, made.subject_person_id),
            (unit, made.subject_organization_id),
        ):
            if subject is not None and not visible(model, user).filter(pk=subject).exists():
                crawl.leak(
                    f"B:vetting_officer POST /vetting/batch/: request {made.pk} names a "
                    f"{model._meta.model_name} hidden from the officer"
                )
    editor = canary.client_for(world.users["B:editor"])
    assert world.b_document is not None
    for target in canary.merge_targets(world):
        proposal = factories.proposal(document=world.b_document, label="Proposition")
        world.add(proposal, "b")
        crawl.check(
            "B:editor",
            editor,
            "POST",
            f"/intake/proposals/{proposal.pk}/merge/",
            {"target": target},
            HTTP_HX_REQUEST="true",
        )
    # The PDF report of B, as B's viewer sees it: its file is then asked by every user.
    viewer = canary.client_for(world.users["B:viewer"])
    response = crawl.check("B:viewer", viewer, "POST", "/report/", {"year": timezone.now().year})
    run = TaskRun.objects.filter(user=world.users["B:viewer"]).order_by("-pk").first()
    if response is not None and run is not None:
        world.ids.setdefault(TaskRun, []).append(run.pk)


def _dated_today(world: World) -> None:
    """B's records happen this month, so that the calendar, the dashboard, the feed and
    the year's report show them."""
    today = timezone.localdate()
    for model in record_models():
        fields = {f.name for f in model._meta.concrete_fields}
        for obj in world.b_records.get(model, []):
            changes = {
                name: today
                for name in ("start_date", "end_date", "planned_start", "planned_end")
                if name in fields
            }
            if changes:
                model._default_manager.filter(pk=obj.pk).update(**changes)


def test_no_marker_of_a_hidden_record_in_any_answer() -> None:
    started = time.monotonic()
    canary._function_view_models()
    world = canary.build_world()
    _dated_today(world)
    crawl = Crawl(world)
    _post_known_leaks(crawl, world)

    routes = [r for r in canary.routes() if r.name not in NOT_ASKED and "<url>" not in r.template]
    import os

    for who, user in world.users.items():
        web, api = canary.client_for(user), canary.api_client(user)
        for route in routes:
            client = api if route.template.startswith("/api/") else web
            for url in _fill(world, route, user, who in DEEP):
                variants = [""]
                if _is_list(route):
                    variants = _list_variants(world, route)
                    if who not in DEEP:
                        variants = [v for v in variants if v == "" or "export=" in v]
                if route.name.startswith("admin:") and route.name.endswith("_changelist"):
                    variants = [""]  # searched below, against what a search for nothing finds
                for variant in variants:
                    crawl.check(who, client, "GET", url + variant)
        if who in DEEP:
            _admin_inference(crawl, world, who, web)
        for q in (_marker_prefix(world, 3), _marker_prefix(world, 5)):
            crawl.check(who, web, "GET", f"/search/?q={q}")
            crawl.check(who, api, "GET", f"/api/persons/?q={q}")

    seconds = time.monotonic() - started
    if os.environ.get("CANARY_TIMINGS"):
        for key, spent in sorted(crawl.timings.items(), key=lambda kv: -kv[1])[:40]:
            print(f"{spent:7.2f} {key}")
    canary.SUMMARY.update(
        urls=len(crawl.urls),
        answers=crawl.answers,
        files=crawl.files,
        leaks=len(crawl.leaks),
        errors=len(crawl.errors),
        seconds=round(seconds),
    )
    problems = [*crawl.leaks, *(f"error: {e}" for e in crawl.errors)]
    assert not problems, f"{len(crawl.leaks)} leaks, {len(crawl.errors)} errors:\n" + "\n".join(
        problems
    )
