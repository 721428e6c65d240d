"""Scale: synthetic data as normal saves would leave it, the same for the same seed,
pages whose query count does not grow with the data, and search through the full-text
indexes (SQLite FTS5, PostgreSQL pg_trgm) that still shows only what the user may see."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models import Model
from django.test.utils import CaptureQueriesContext

from liaison.activities.models import Activity, ActivityParticipation, BudgetLine
from liaison.core import audit, search
from liaison.core.choices import Release, Role
from liaison.core.models import AuditLink, SearchEntry, Workspace
from liaison.core.tests.pages import assert_constant_queries_for, client_for, member
from liaison.demo.synth import synthesize
from liaison.events.models import Participant
from liaison.partners.models import Organization, Person, Position
from liaison.training.models import Enrollment, Session
from tests import factories as f

pytestmark = pytest.mark.django_db

TINY = 0.0005  # 50 activities, 150 persons...


def quiet(line: str) -> None:
    pass


def digest() -> str:
    """The content of the synthetic world, without ids and timestamps."""
    parts: list[Any] = [
        list(
            Activity.objects.order_by("pk").values_list(
                "title", "status", "activity_type", "planned_start", "owner__slug", "release"
            )
        ),
        list(Person.objects.order_by("pk").values_list("full_name", "rank", "birth_date")),
        list(
            Position.objects.order_by("pk").values_list(
                "person__full_name", "organization__name_fr", "title_fr", "is_current"
            )
        ),
        list(
            ActivityParticipation.objects.order_by("pk").values_list(
                "activity__title", "organization__name_fr", "role"
            )
        ),
        list(BudgetLine.objects.order_by("pk").values_list("activity__title", "amount")),
        list(
            Enrollment.objects.order_by("pk").values_list(
                "session__name", "person__external_id", "status"
            )
        ),
        list(Participant.objects.order_by("pk").values_list("event__title", "person__external_id")),
        list(SearchEntry.objects.order_by("pk").values_list("text", flat=True)),
        list(Activity.released_to.through.objects.order_by("pk").values_list("workspace__slug")),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def synth_digest(seed: int) -> str:
    """Synthesise in a transaction, read the digest, and roll it all back."""
    with transaction.atomic():
        synthesize(TINY, seed, quiet)
        found = digest()
        transaction.set_rollback(True)
    return found


def test_synth_is_deterministic_for_a_seed() -> None:
    first = synth_digest(7)
    assert synth_digest(7) == first
    assert synth_digest(8) != first


def test_synth_leaves_what_normal_saves_would() -> None:
    counts = synthesize(TINY, 3, quiet)
    assert counts.rows["activities.Activity"] == Activity.objects.count() == 50
    assert Person.objects.count() == 150
    # Every record has its creation row in the history, chained in the audit trail.
    assert Activity.history.filter(history_type="+").count() == 50
    assert Enrollment.history.count() == Enrollment.objects.count() > 0
    checked, broken = audit.verify()
    assert broken is None
    assert checked == AuditLink.objects.count() >= counts.rows["history rows"]
    # The search entries are those a re-index from the records gives.
    before = sorted(SearchEntry.objects.values_list("content_type_id", "object_id", "text"))
    search.rebuild()
    after = sorted(SearchEntry.objects.values_list("content_type_id", "object_id", "text"))
    assert before == after
    assert len(before) > 0
    # Releases: some records are private, some named to other workspaces, some open.
    releases = set(Activity.objects.values_list("release", flat=True))
    assert releases == {Release.PRIVATE, Release.NAMED, Release.OPEN}
    named = Activity.objects.filter(release=Release.NAMED).first()
    assert named is not None
    assert named.released_to.exists()


def test_page_queries_do_not_grow_with_the_data() -> None:
    workspace = Workspace.objects.create(slug="mcd-ml-synth", name="Mission (synth)")
    viewer = member(Role.VIEWER, workspace)
    client = client_for(viewer)

    def add_rows(n: int) -> None:
        synthesize(TINY * n / 3, n, quiet)

    def urls() -> list[str]:
        activity = Activity.objects.visible_to(viewer).filter(owner=workspace).first()
        person = Person.objects.visible_to(viewer).first()
        unit = Organization.objects.visible_to(viewer).filter(kind="unit").first()
        session = Session.objects.visible_to(viewer).first()
        assert activity is not None
        assert person is not None
        assert unit is not None
        assert session is not None
        # Searches that find records in both worlds: a page's prefetches run only when
        # it lists something, and search counts a kind only past its first ten ("xm synth"
        # is in every activity's IATI identifier, and in nothing else).
        return [
            "/",
            "/activities/?status=implementation&sort=-planned_start",
            "/activities/?q=synth",
            "/organizations/?kind=unit&sort=name_fr",
            "/persons/?sort=full_name",
            "/positions/",
            "/assignments/",
            "/requests/",
            "/sessions/",
            "/events/",
            f"/activities/{activity.pk}/",
            f"/persons/{person.pk}/",
            f"/organizations/{unit.pk}/",
            f"/sessions/{session.pk}/",
            "/search/?q=xm+synth",
            "/api/activities/?status=implementation",
            f"/api/activities/{activity.pk}/",
            "/api/persons/",
            "/api/enrollments/",
        ]

    assert_constant_queries_for(client, urls, add_rows)


# --- search through the full-text indexes ---------------------------------------------


def found(user: Any, query: str) -> set[Model]:
    return {obj for group in search.search(user, query) for obj in group.results}


def test_search_uses_the_full_text_index_and_folds_accents_and_case() -> None:
    viewer = member(Role.VIEWER)
    person = f.person(owner=f.owner_workspace(), full_name="Harouna Haïdara")
    for query in ("haidara", "HAÏDARA", "Haïd", "harou haid", "aidar"):
        assert person in found(viewer, query), query
    assert person not in found(viewer, "haidarax")
    # Words under three letters are read from the entries (no trigram): still anywhere.
    assert person in found(viewer, "ro haid")
    assert person not in found(viewer, "zu haid")
    with CaptureQueriesContext(connection) as queries:
        found(viewer, "haidara")
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    if connection.vendor == "sqlite":
        assert "core_searchentry_fts MATCH" in sql
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'core_searchentry_text_trgm'"
            )
            (definition,) = cursor.fetchone()
        assert "gin_trgm_ops" in definition


def test_full_text_index_follows_changes_and_deletions() -> None:
    viewer = member(Role.VIEWER)
    person = f.person(owner=f.owner_workspace(), full_name="Seydou Traoré")
    assert person in found(viewer, "traore")
    person.full_name = "Seydou Keïta"
    person.family_name = ""
    person.save()
    assert person not in found(viewer, "traore")
    assert person in found(viewer, "keita")
    person.delete()
    assert not found(viewer, "keita")


def test_search_shows_only_what_the_user_may_see() -> None:
    owner = f.owner_workspace()
    viewer = member(Role.VIEWER)
    outsider = member(Role.VIEWER, f.workspace())
    private = f.person(owner=owner, full_name="Aminata Diarra", release=Release.PRIVATE)
    open_ = f.person(owner=owner, full_name="Awa Diarra", release=Release.OPEN)
    assert found(viewer, "diarra") == {private, open_}
    assert found(outsider, "diarra") == {open_}
    # A position found only through the name of a person the outsider may not see.
    org = f.organization(owner=owner, name_fr="Direction de la justice militaire", release="open")
    position = f.position(owner=owner, person=private, organization=org, release="open")
    assert position in found(viewer, "aminata")
    assert position not in found(outsider, "aminata")
    page = client_for(outsider).get("/search/", {"q": "diarra"}).content.decode()
    assert "Aminata" not in page
    assert "Awa Diarra" in page


# --- derived figures cached until anything changes ------------------------------------


def test_cached_dashboard_follows_every_change_and_each_users_rights(settings: Any) -> None:
    from django.core.cache import cache

    settings.LIAISON_CACHE_SECONDS = 300
    cache.clear()
    owner = f.owner_workspace()
    viewer = client_for(member(Role.VIEWER, owner))
    outsider = client_for(member(Role.VIEWER, f.workspace()))

    def activities(client: Any) -> int:
        rows = client.get("/").context["matrix"]["rows"]
        return sum(row["total"].count for row in rows)

    assert activities(viewer) == activities(outsider) == 0
    f.activity(owner=owner, release=Release.PRIVATE)
    assert activities(viewer) == 1  # the change is seen at once, not after 300 s
    assert activities(outsider) == 0  # nor does one user's figure serve another
    with CaptureQueriesContext(connection) as queries:
        assert activities(viewer) == 1
    with_cache = len(queries.captured_queries)
    settings.LIAISON_CACHE_SECONDS = 0
    with CaptureQueriesContext(connection) as queries:
        assert activities(viewer) == 1
    assert with_cache < len(queries.captured_queries)
