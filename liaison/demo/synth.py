"""Synthetic data at scale: `liaison synth --scale small|medium|large [--seed N]`.

Several donor missions (workspaces) working in several partner countries, with
organisation trees, persons and their positions, activities with their participating
organisations, places and budget lines, schools with sessions and enrolments, events
with participants, sources and citations, and vetting requests. The same seed gives the
same content (names, dates, links); only the creation timestamps differ.

It is fast because it writes in bulk through core.bulk, which does in bulk what a normal
save triggers one record at a time (see core.search and core.signals): the creation row
of each record's history (with who, the channel and the request id), the link of each
history row in the audit chain (core.audit, same hashes as `append`) and each record's
search entry (core.search, same folded text as `index`). The result is what the same
records saved one by one would leave, so `liaison audit verify` passes.
Runs additively: a second run adds more records to the same workspaces.
"""

from __future__ import annotations

import datetime as dt
import random
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction

from liaison.activities.choices import (
    ActivityStatus,
    ActivityType,
    BudgetKind,
    ParticipationRole,
    RequestStatus,
    TransactionType,
    Urgency,
)
from liaison.activities.models import (
    Activity,
    ActivityParticipation,
    ActivityPlace,
    Agreement,
    Assignment,
    BudgetLine,
    Request,
    Transaction,
)
from liaison.core import bulk, ranks
from liaison.core.choices import Currency, Release, Role
from liaison.core.context import Actor
from liaison.core.models import Citation, Membership, Source, Workspace
from liaison.core.orgids import OrganisationType
from liaison.events.models import ContextEvent, Event, Participant
from liaison.geo.models import Country, Subdivision
from liaison.partners.choices import Gender, OrganizationKind
from liaison.partners.models import Organization, Person, Position
from liaison.training.models import Course, Enrollment, School, Session
from liaison.vetting.models import VettingRequest

BATCH = 2000
# Dates are drawn around this day (not today) so that a seed always gives the same data.
ANCHOR = dt.date(2026, 1, 1)
SYNTH_PASSWORD = "liaison-synth"

# Counts at the large scale; medium is a tenth, small a five-hundredth.
LARGE: dict[str, int] = {
    "units_per_region": 22,
    "persons": 300_000,
    "positions": 150_000,
    "agreements": 2_000,
    "activities": 100_000,
    "places": 100_000,
    "budget_lines": 120_000,
    "transactions": 40_000,
    "requests": 10_000,
    "assignments": 20_000,
    "courses_per_school": 10,
    "sessions": 12_000,
    "enrollments": 300_000,
    "events": 20_000,
    "participants": 200_000,
    "context_events": 500,
    "sources": 2_000,
    "citations": 60_000,
    "vetting_requests": 20_000,
}
SCALES = {"small": 0.002, "medium": 0.1, "large": 1.0}

DONORS = [
    ("Mission de coopération de défense — Mali", "mcd", "FR", "ML"),
    ("Office of Security Cooperation — Mali", "osc", "US", "ML"),
    ("Mission de coopération de défense — Niger", "mcd", "FR", "NE"),
    ("Office of Security Cooperation — Niger", "osc", "US", "NE"),
    ("EUTM Mali", "eutm", "BE", "ML"),
    ("Mission de coopération de défense — Burkina Faso", "mcd", "FR", "BF"),
    ("Mission de coopération de défense — Tchad", "mcd", "FR", "TD"),
    ("Office of Security Cooperation — Sénégal", "osc", "US", "SN"),
]
PARTNERS = ["ML", "NE", "BF", "TD", "SN", "MR"]
# The donors' IATI organisation identifiers: France and Belgium by their OECD DAC codes,
# the US Department of Defense in the US government's list.
DONOR_REF = {"FR": "XM-DAC-4", "BE": "XM-DAC-2", "US": "US-GOV-7"}
BRANCHES = [
    ("Armée de terre", "Army", "AT"),
    ("Armée de l'air", "Air Force", "AA"),
    ("Garde nationale", "National Guard", "GN"),
]
UNIT_KINDS = [
    ("bataillon d'infanterie", "infantry battalion", "BI"),
    ("compagnie du génie", "engineer company", "CG"),
    ("escadron de reconnaissance", "reconnaissance squadron", "ER"),
    ("groupement tactique interarmes", "combined arms battle group", "GTIA"),
    ("bataillon logistique", "logistics battalion", "BL"),
    ("compagnie de transmissions", "signals company", "CT"),
]
GIVEN = [
    "Amadou",
    "Aminata",
    "Boubacar",
    "Fatoumata",
    "Moussa",
    "Mariam",
    "Ibrahim",
    "Awa",
    "Oumar",
    "Kadiatou",
    "Seydou",
    "Hawa",
    "Mamadou",
    "Aïssata",
    "Souleymane",
    "Djénéba",
    "Issa",
    "Rokia",
    "Abdoulaye",
    "Salimata",
    "Hamidou",
    "Oumou",
    "Adama",
    "Néné",
    "Sékou",
    "Ramatou",
    "Yacouba",
    "Bintou",
    "Harouna",
    "Coumba",
    "Modibo",
    "Fanta",
    "Cheick",
    "Assétou",
    "Élise",
    "Jérôme",
    "François",
    "Hélène",
    "Jean",
    "Marie",
    "Pierre",
    "Anne",
    "John",
    "Mary",
    "Michael",
    "Sarah",
]
FAMILY = [
    "Traoré",
    "Coulibaly",
    "Diarra",
    "Keïta",
    "Konaté",
    "Touré",
    "Sangaré",
    "Diallo",
    "Cissé",
    "Sidibé",
    "Maïga",
    "Haïdara",
    "Dembélé",
    "Camara",
    "Koné",
    "Sissoko",
    "Doumbia",
    "Ouattara",
    "Kanté",
    "Bagayoko",
    "Tounkara",
    "Guindo",
    "Dicko",
    "Sow",
    "Ba",
    "Ndiaye",
    "Mahamat",
    "Idriss",
    "Issoufou",
    "Moumouni",
    "Ouédraogo",
    "Sawadogo",
    "Zongo",
    "Kaboré",
    "Dupont",
    "Lefèvre",
    "Moreau",
    "Girard",
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
]
# No rank for some, then the French ranks an advisor's counterpart holds (core.ranks).
RANKS = [
    "",
    *(
        r.name
        for r in ranks.pick(
            "fr",
            "sergent",
            "adjudant",
            "lieutenant",
            "capitaine",
            "commandant",
            "lieutenant-colonel",
            "colonel",
            "colonel-major",
            "général de brigade",
        )
    ),
]
TITLES = [
    ("Chef de corps", "Commanding officer"),
    ("Chef d'état-major", "Chief of staff"),
    ("Officier logistique", "Logistics officer"),
    ("Officier des opérations", "Operations officer"),
    ("Directeur de la justice militaire", "Director of military justice"),
    ("Commandant de compagnie", "Company commander"),
    ("Instructeur", "Instructor"),
    ("Conseiller juridique", "Legal adviser"),
]
TOPICS = [
    ("droit des conflits armés", "law of armed conflict"),
    ("maintien de la paix", "peacekeeping"),
    ("lutte contre les engins explosifs improvisés", "counter-IED"),
    ("logistique opérationnelle", "operational logistics"),
    ("renseignement", "intelligence"),
    ("santé en opération", "combat medicine"),
    ("transmissions", "signals"),
    ("déminage humanitaire", "humanitarian demining"),
    ("protection des civils", "protection of civilians"),
    ("commandement", "command and staff"),
]
ACTIVITY_WORDS = [
    "Formation",
    "Appui",
    "Fourniture",
    "Conseil",
    "Réhabilitation",
    "Exercice",
    "Visite",
    "Soutien",
]
LOCALITIES = [
    "Bamako",
    "Kati",
    "Koulikoro",
    "Ségou",
    "Mopti",
    "Gao",
    "Tombouctou",
    "Niamey",
    "Agadez",
    "Ouagadougou",
    "N'Djamena",
    "Dakar",
    "Thiès",
    "Nouakchott",
]


@dataclass
class Counts:
    rows: dict[str, int] = field(default_factory=dict)

    def add(self, label: str, n: int) -> None:
        self.rows[label] = self.rows.get(label, 0) + n

    @property
    def total(self) -> int:
        return sum(self.rows.values())


@dataclass
class Ref:
    """What later records need of an earlier one: its id, owner and indexed names."""

    pk: int
    owner_id: int
    name: str = ""
    extra: str = ""


def sizes(scale: str | float) -> dict[str, int]:
    factor = SCALES[scale] if isinstance(scale, str) else float(scale)
    out = {}
    for key, value in LARGE.items():
        minimum = 2 if key in ("units_per_region", "courses_per_school") else 5
        out[key] = max(minimum, round(value * factor))
    return out


class Writer:
    """Writes records through core.bulk (history row, audit link and search entry of
    each), as the synthetic run's command: the history rows name each record's author."""

    def __init__(self, user_for: Callable[[int], int | None], counts: Counts) -> None:
        self.user_for = user_for
        self.counts = counts
        self.actor = Actor(None, request_id=uuid.uuid4().hex, channel="command")
        self.links = 0

    def write(self, model: type[models.Model], objs: Sequence[models.Model]) -> None:
        if not objs:
            return
        written = bulk.create(
            model, list(objs), actor=self.actor, author=self._author, announce=False
        )
        self.counts.add(model._meta.label, written.records)
        if written.history:
            self.counts.add("history rows", written.history)
            self.links += written.history
        if written.entries:
            self.counts.add("search entries", written.entries)

    def _author(self, obj: Any) -> int | None:
        owner_id = getattr(obj, "owner_id", None)
        return getattr(obj, "created_by_id", None) or (
            self.user_for(owner_id) if owner_id else None
        )


def batches(n: int, size: int = BATCH) -> Iterator[range]:
    for start in range(0, n, size):
        yield range(start, min(n, start + size))


@dataclass(frozen=True)
class Mission:
    """A donor workspace of the synthetic world."""

    name: str
    slug: str
    donor: str  # the donor country (alpha-2)
    partner: str  # the partner country it works in (alpha-2)


def default_missions() -> list[Mission]:
    return [
        Mission(f"{name} (synth)", f"{prefix}-{partner.lower()}-synth", donor, partner)
        for name, prefix, donor, partner in DONORS
    ]


class Synth:
    def __init__(
        self,
        scale: str | float,
        seed: int,
        log: Callable[[str], None],
        missions: Sequence[Mission] | None = None,
        members: dict[str, int] | None = None,
        release: str | None = None,
    ) -> None:
        """`missions`: the workspaces (default: the eight donors of DONORS), with their own
        users of each role, or `members` ({role: user id}) when there is one mission;
        `release`: the release of every record instead of a random one."""
        self.missions = list(missions or default_missions())
        self.members = members
        self.release = release
        self.n = sizes(scale)
        self.rng = random.Random(seed)
        self.seed = seed
        self.log = log
        self.counts = Counts()
        self.users: dict[int, dict[str, int]] = {}
        self.writer = Writer(self._editor_of, self.counts)
        self._tag = f"s{seed}"

    def _editor_of(self, workspace_id: int) -> int | None:
        return self.users.get(workspace_id, {}).get(Role.EDITOR)

    # --- helpers ---------------------------------------------------------------------
    def date(self, years_back: int = 10, years_ahead: int = 2) -> dt.date:
        days = self.rng.randint(-365 * years_back, 365 * years_ahead)
        return ANCHOR + dt.timedelta(days=days)

    def owned(self, owner: Workspace) -> dict[str, Any]:
        """Owner, release and authorship of a new record (60% private, 20% named, 20%
        open); the named releases are written afterwards by `release_named`."""
        r = self.rng.random()
        drawn = Release.PRIVATE if r < 0.6 else Release.NAMED if r < 0.8 else Release.OPEN
        release: str = self.release or drawn
        editor = self._editor_of(owner.pk)
        return {
            "owner_id": owner.pk,
            "release": release,
            "created_by_id": editor,
            "updated_by_id": editor,
        }

    def release_named(self, model: type[models.Model], objs: Sequence[Any]) -> None:
        through: Any = model._meta.get_field("released_to").remote_field.through  # type: ignore[union-attr]
        m2m: Any = model._meta.get_field("released_to")
        src, dst = m2m.m2m_field_name() + "_id", m2m.m2m_reverse_field_name() + "_id"
        links = []
        for obj in objs:
            if obj.release != Release.NAMED:
                continue
            others = [w.pk for w in self.workspaces if w.pk != obj.owner_id]
            for ws in self.rng.sample(others, k=min(len(others), self.rng.randint(1, 2))):
                links.append(through(**{src: obj.pk, dst: ws}))
        through.objects.bulk_create(links, batch_size=BATCH)
        self.counts.add("releases", len(links))

    def write(self, model: type[models.Model], objs: list[Any]) -> None:
        self.writer.write(model, objs)
        if hasattr(model, "released_to"):
            self.release_named(model, objs)

    def person_name(self) -> tuple[str, str, str]:
        given = self.rng.choice(GIVEN)
        family = self.rng.choice(FAMILY)
        return given, family, f"{given} {family}"

    # --- the world -------------------------------------------------------------------
    def run(self) -> Counts:
        started = time.monotonic()
        steps = [
            self.setup,
            self.organizations,
            self.persons,
            self.positions,
            self.agreements,
            self.activities,
            self.activity_children,
            self.requests_and_assignments,
            self.training,
            self.events,
            self.sources,
            self.vetting,
        ]
        for step in steps:
            t0 = time.monotonic()
            with transaction.atomic():
                step()
            self.log(f"{step.__name__}: {time.monotonic() - t0:.1f} s")
        self.counts.add("audit links", self.writer.links)
        # After a bulk load the planner's statistics are stale (PostgreSQL's autovacuum
        # comes later; SQLite has none until asked): plans would be chosen blind.
        t0 = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.log(f"analyze: {time.monotonic() - t0:.1f} s")
        self.log(f"total: {time.monotonic() - started:.1f} s")
        return self.counts

    def setup(self) -> None:
        self.countries = {
            c.alpha2: c for c in Country.objects.filter(alpha2__in=[*PARTNERS, "FR", "US", "BE"])
        }
        self.subdivisions: dict[str, list[Subdivision]] = {}
        for sub in Subdivision.objects.filter(country__alpha2__in=PARTNERS).order_by("code"):
            self.subdivisions.setdefault(sub.country.alpha2, []).append(sub)
        User = get_user_model()
        password = make_password(SYNTH_PASSWORD)
        self.workspaces: list[Workspace] = []
        self.partner_of: dict[int, str] = {}
        for mission in self.missions:
            slug, donor, partner = mission.slug, mission.donor, mission.partner
            ws, _created = Workspace.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": mission.name,
                    "iati_ref": DONOR_REF[donor],
                    "iati_type": OrganisationType.GOVERNMENT,
                },
            )
            if not ws.iati_ref:
                ws.iati_ref, ws.iati_type = DONOR_REF[donor], OrganisationType.GOVERNMENT
                ws.save(update_fields=["iati_ref", "iati_type"])
            self.workspaces.append(ws)
            self.partner_of[ws.pk] = partner
            if self.members is not None:
                for role, user_id in self.members.items():
                    Membership.objects.get_or_create(
                        user_id=user_id, workspace=ws, defaults={"role": role}
                    )
                self.users[ws.pk] = dict(self.members)
                continue
            roles: dict[str, int] = {}
            for role in (
                Role.VIEWER,
                Role.EDITOR,
                Role.MANAGER,
                Role.VETTING_OFFICER,
                Role.ADMINISTRATOR,
            ):
                username = f"{slug}-{role}".replace("_", "-")
                user, _ = User.objects.get_or_create(
                    username=username, defaults={"password": password}
                )
                Membership.objects.get_or_create(user=user, workspace=ws, defaults={"role": role})
                roles[role] = user.pk
            self.users[ws.pk] = roles

    def organizations(self) -> None:
        n = self.n
        self.orgs_by_country: dict[str, list[Ref]] = {}
        self.donor_orgs: dict[int, Ref] = {}
        self.all_orgs: list[Ref] = []
        self.schools_orgs: list[tuple[Organization, str]] = []
        by_partner = {
            p: [w for w in self.workspaces if self.partner_of[w.pk] == p] for p in PARTNERS
        }

        def org(owner: Workspace, **values: Any) -> Organization:
            o = Organization(**self.owned(owner), **values)
            if values.get("kind") != OrganizationKind.UNIT:  # the shared tree is open
                o.release = self.release or Release.OPEN
            return o

        # Donor missions: one organisation per workspace.
        donors = [
            org(
                ws,
                name_fr=ws.name,
                name_en=ws.name,
                acronym_fr=ws.slug.split("-")[0].upper(),
                kind=OrganizationKind.EMBASSY,
                country=self.countries[self.missions[i].donor],
                iati_ref=ws.iati_ref,
                iati_type=ws.iati_type,
            )
            for i, ws in enumerate(self.workspaces)
        ]
        self.write(Organization, donors)
        for ws, o in zip(self.workspaces, donors, strict=True):
            self.donor_orgs[ws.pk] = Ref(o.pk, ws.pk, o.name_fr)
        for partner in PARTNERS:
            owners = by_partner[partner] or self.workspaces
            country = self.countries[partner]
            ministry = org(
                owners[0],
                name_fr=f"Ministère de la Défense ({country.name_fr})",
                name_en=f"Ministry of Defence ({country.name_en})",
                acronym_fr="MD",
                kind=OrganizationKind.MINISTRY,
                country=country,
            )
            self.write(Organization, [ministry])
            branches = [
                org(
                    owners[0],
                    name_fr=f"{fr} ({country.name_fr})",
                    name_en=f"{en} ({country.name_en})",
                    acronym_fr=acr,
                    kind=OrganizationKind.ARMED_FORCE,
                    country=country,
                    parent=ministry,
                )
                for fr, en, acr in BRANCHES
            ]
            self.write(Organization, branches)
            regions = []
            for b in branches:
                for r in range(1, 5):
                    regions.append(
                        org(
                            self.rng.choice(owners),
                            name_fr=f"Région militaire n°{r} — {b.acronym_fr} {partner}",
                            name_en=f"Military region {r} — {b.acronym_fr} {partner}",
                            acronym_fr=f"RM{r}",
                            kind=OrganizationKind.DIRECTORATE,
                            country=country,
                            parent=b,
                        )
                    )
            self.write(Organization, regions)
            units = []
            for region in regions:
                for u in range(1, n["units_per_region"] + 1):
                    fr, en, acr = self.rng.choice(UNIT_KINDS)
                    units.append(
                        org(
                            self.rng.choice(owners),
                            name_fr=f"{u}e {fr} ({region.acronym_fr} {partner} {self._tag})",
                            name_en=f"{en} {u} ({region.acronym_fr} {partner})",
                            acronym_fr=f"{u}{acr}",
                            aliases=[f"{acr}-{partner}-{u}"],
                            kind=OrganizationKind.UNIT,
                            country=country,
                            parent=region,
                        )
                    )
            self.write(Organization, units)
            schools = []
            for t, (topic_fr, topic_en) in enumerate(TOPICS):
                schools.append(
                    org(
                        owners[0],
                        name_fr=f"École de {topic_fr} de {LOCALITIES[t % len(LOCALITIES)]}",
                        name_en=f"{topic_en.title()} School ({country.name_en})",
                        acronym_fr=f"E{t}{partner}",
                        kind=OrganizationKind.SCHOOL,
                        country=country,
                        parent=ministry,
                    )
                )
            self.write(Organization, schools)
            self.schools_orgs.extend((s, partner) for s in schools)
            refs = [
                Ref(o.pk, o.owner_id, o.name_fr) for o in [ministry, *branches, *regions, *units]
            ]
            self.orgs_by_country[partner] = refs
            self.all_orgs.extend(refs)

    def _org(self, partner: str | None = None) -> Ref:
        pool = self.orgs_by_country[partner] if partner else self.all_orgs
        return self.rng.choice(pool)

    def persons(self) -> None:
        self.person_refs: list[Ref] = []
        partners = list(self.countries)
        for chunk in batches(self.n["persons"]):
            objs = []
            for i in chunk:
                given, family, full = self.person_name()
                ws = self.rng.choice(self.workspaces)
                nationality = self.rng.choice(partners)
                objs.append(
                    Person(
                        **self.owned(ws),
                        full_name=full,
                        given_names=given,
                        family_name=family,
                        rank=self.rng.choice(RANKS),
                        gender=self.rng.choice([Gender.MALE, Gender.MALE, Gender.FEMALE]),
                        nationality=self.countries[nationality],
                        birth_date=ANCHOR - dt.timedelta(days=self.rng.randint(20 * 365, 60 * 365)),
                        external_id=f"synth:{self._tag}:person:{i}",
                    )
                )
            self.write(Person, objs)
            self.person_refs.extend(Ref(p.pk, p.owner_id, p.full_name) for p in objs)

    def _person(self) -> Ref:
        return self.rng.choice(self.person_refs)

    def positions(self) -> None:
        people = self.rng.sample(
            self.person_refs, k=min(self.n["positions"], len(self.person_refs))
        )
        for chunk in batches(len(people)):
            objs = []
            for i in chunk:
                person = people[i]
                org = self._org()
                fr, en = self.rng.choice(TITLES)
                start = self.date(12, 0)
                current = self.rng.random() < 0.6
                objs.append(
                    Position(
                        **self.owned(self.ws(person.owner_id)),
                        person=Person(pk=person.pk, full_name=person.name),
                        organization=Organization(pk=org.pk, name_fr=org.name),
                        title_fr=fr,
                        title_en=en,
                        start_date=start,
                        end_date=None
                        if current
                        else start + dt.timedelta(days=self.rng.randint(100, 1500)),
                        is_current=current,
                    )
                )
            self.write(Position, objs)

    def ws(self, pk: int) -> Workspace:
        return next(w for w in self.workspaces if w.pk == pk)

    def agreements(self) -> None:
        objs = []
        for i in range(self.n["agreements"]):
            ws = self.rng.choice(self.workspaces)
            signed = self.date(15, 0)
            objs.append(
                Agreement(
                    **self.owned(ws),
                    title=f"Convention de partenariat n°{i + 1} — {self.partner_of[ws.pk]}",
                    reference=f"CP-{signed.year}-{i + 1:05d}",
                    signed_on=signed,
                    valid_from=signed,
                    valid_until=signed + dt.timedelta(days=365 * self.rng.randint(1, 5)),
                    scope=f"Coopération en matière de {self.rng.choice(TOPICS)[0]}",
                )
            )
        self.write(Agreement, objs)
        self.agreement_refs = [Ref(a.pk, a.owner_id) for a in objs]

    def activities(self) -> None:
        self.activity_refs: list[Ref] = []
        types, statuses = list(ActivityType), list(ActivityStatus)
        for chunk in batches(self.n["activities"]):
            objs = []
            for i in chunk:
                ws = self.rng.choice(self.workspaces)
                topic_fr, topic_en = self.rng.choice(TOPICS)
                start = self.date()
                agreement = (
                    self.rng.choice(self.agreement_refs) if self.rng.random() < 0.5 else None
                )
                objs.append(
                    Activity(
                        **self.owned(ws),
                        title=f"{self.rng.choice(ACTIVITY_WORDS)} — {topic_fr} — "
                        f"{self.rng.choice(LOCALITIES)} {i + 1}",
                        description=f"Action de coopération ({topic_en}) au profit "
                        "des forces partenaires.",
                        activity_type=self.rng.choice(types),
                        status=self.rng.choice(statuses),
                        agreement_id=agreement.pk if agreement else None,
                        planned_start=start,
                        planned_end=start + dt.timedelta(days=self.rng.randint(1, 400)),
                        currency=self.rng.choice(list(Currency)),
                        iati_identifier=f"{ws.iati_ref}-SYNTH-{self._tag}-{i + 1}",
                    )
                )
            self.write(Activity, objs)
            self.activity_refs.extend(Ref(a.pk, a.owner_id) for a in objs)

    def activity_children(self) -> None:
        refs = self.activity_refs
        for chunk in batches(len(refs)):
            parts: list[ActivityParticipation] = []
            places: list[ActivityPlace] = []
            for i in chunk:
                a = refs[i]
                partner = self.partner_of[a.owner_id]
                chosen = {(self.donor_orgs[a.owner_id].pk, ParticipationRole.FUNDING)}
                chosen.add((self._org(partner).pk, ParticipationRole.IMPLEMENTING))
                if self.rng.random() < 0.5:
                    chosen.add((self._org(partner).pk, ParticipationRole.BENEFICIARY))
                parts.extend(
                    ActivityParticipation(activity_id=a.pk, organization_id=o, role=r)
                    for o, r in sorted(chosen)
                )
                if self.rng.random() < self.n["places"] / max(1, len(refs)):
                    subs: list[Subdivision | None] = [*self.subdivisions.get(partner, [])] or [None]
                    places.append(
                        ActivityPlace(
                            activity_id=a.pk,
                            country=self.countries[partner],
                            subdivision=self.rng.choice(subs),
                            locality=self.rng.choice(LOCALITIES),
                        )
                    )
            self.write(ActivityParticipation, parts)
            self.write(ActivityPlace, places)
        for model, key in ((BudgetLine, "budget_lines"), (Transaction, "transactions")):
            for chunk in batches(self.n[key]):
                objs: list[Any] = []
                for _ in chunk:
                    a = self.rng.choice(refs)
                    start = self.date()
                    amount = Decimal(self.rng.randint(1_000, 2_000_000))
                    if model is BudgetLine:
                        objs.append(
                            BudgetLine(
                                activity_id=a.pk,
                                kind=BudgetKind.ORIGINAL,
                                period_start=start,
                                period_end=start + dt.timedelta(days=364),
                                amount=amount,
                                currency=Currency.EUR,
                            )
                        )
                    else:
                        objs.append(
                            Transaction(
                                activity_id=a.pk,
                                transaction_type=self.rng.choice(list(TransactionType)),
                                date=start,
                                amount=amount,
                                currency=Currency.EUR,
                                provider_id=self.donor_orgs[a.owner_id].pk,
                            )
                        )
                self.write(model, objs)

    def requests_and_assignments(self) -> None:
        objs: list[Any] = []
        for i in range(self.n["requests"]):
            ws = self.rng.choice(self.workspaces)
            received = self.date(5, 1)
            requester = self._org(self.partner_of[ws.pk])
            objs.append(
                Request(
                    **self.owned(ws),
                    title=f"Demande d'appui en {self.rng.choice(TOPICS)[0]} n°{i + 1}",
                    requester_id=requester.pk,
                    received_on=received,
                    due_on=received + dt.timedelta(days=self.rng.randint(7, 90)),
                    urgency=self.rng.choice(list(Urgency)),
                    status=self.rng.choice(list(RequestStatus)),
                )
            )
        self.write(Request, objs)
        for chunk in batches(self.n["assignments"]):
            objs = []
            for _ in chunk:
                ws = self.rng.choice(self.workspaces)
                person, org = self._person(), self._org(self.partner_of[ws.pk])
                start = self.date(6, 1)
                objs.append(
                    Assignment(
                        **self.owned(ws),
                        person=Person(pk=person.pk, full_name=person.name),
                        organization=Organization(pk=org.pk, name_fr=org.name),
                        sending_organization_id=self.donor_orgs[ws.pk].pk,
                        activity_id=self.rng.choice(self.activity_refs).pk,
                        role=self.rng.choice(TITLES)[0],
                        start_date=start,
                        end_date=start + dt.timedelta(days=self.rng.randint(180, 1100)),
                    )
                )
            self.write(Assignment, objs)

    def training(self) -> None:
        schools = []
        for org, partner in self.schools_orgs:
            schools.append(
                School(
                    **self.owned(self.ws(org.owner_id)),
                    organization=org,
                    is_regional=self.rng.random() < 0.3,
                    subdivision=self.rng.choice(self.subdivisions.get(partner) or [None]),
                )
            )
        self.write(School, schools)
        courses = []
        for s, school in enumerate(schools, start=1):
            for c in range(self.n["courses_per_school"]):
                fr, en = self.rng.choice(TOPICS)
                courses.append(
                    Course(
                        **self.owned(self.ws(school.owner_id)),
                        school=school,
                        code=f"C{self._tag}-{s}-{c + 1}",
                        title_fr=f"Stage de {fr} n°{c + 1}",
                        title_en=f"{en.title()} course {c + 1}",
                        topic=fr,
                        duration_days=self.rng.choice([5, 10, 15, 30, 60]),
                    )
                )
        self.write(Course, courses)
        sessions: list[Session] = []
        for chunk in batches(self.n["sessions"]):
            objs = []
            for i in chunk:
                course = self.rng.choice(courses)
                start = self.date(8, 1)
                objs.append(
                    Session(
                        **self.owned(self.ws(course.owner_id)),
                        course=course,
                        name=f"Session {start.year}-{i + 1}",
                        start_date=start,
                        end_date=start + dt.timedelta(days=course.duration_days or 5),
                        status=self.rng.choice(list(Session.Status)),
                        capacity=30,
                        activity_id=self.rng.choice(self.activity_refs).pk
                        if self.rng.random() < 0.3
                        else None,
                    )
                )
            self.write(Session, objs)
            sessions.extend(objs)
        per_session = max(1, self.n["enrollments"] // max(1, len(sessions)))
        session_ids = [s.pk for s in sessions]
        for chunk in batches(len(session_ids), max(1, BATCH // per_session)):
            enrollments: list[Enrollment] = []
            for i in chunk:
                for person in self.rng.sample(
                    self.person_refs, k=min(per_session, len(self.person_refs))
                ):
                    enrollments.append(
                        Enrollment(
                            session_id=session_ids[i],
                            person_id=person.pk,
                            nationality=self.countries[self.rng.choice(PARTNERS)],
                            unit_id=self._org().pk,
                            status=self.rng.choice(list(Enrollment.Status)),
                        )
                    )
            self.write(Enrollment, enrollments)

    def events(self) -> None:
        self.event_refs: list[Ref] = []
        for chunk in batches(self.n["events"]):
            objs = []
            for i in chunk:
                ws = self.rng.choice(self.workspaces)
                fr, _en = self.rng.choice(TOPICS)
                start = self.date(8, 1)
                partner = self.partner_of[ws.pk]
                objs.append(
                    Event(
                        **self.owned(ws),
                        title=f"Séminaire {fr} — {self.rng.choice(LOCALITIES)} {i + 1}",
                        kind=self.rng.choice(list(Event.Kind)),
                        topic=fr,
                        start_date=start,
                        end_date=start + dt.timedelta(days=self.rng.randint(0, 5)),
                        country=self.countries[partner],
                        locality=self.rng.choice(LOCALITIES),
                        venue_id=self._org(partner).pk,
                        activity_id=self.rng.choice(self.activity_refs).pk
                        if self.rng.random() < 0.4
                        else None,
                    )
                )
            self.write(Event, objs)
            self.event_refs.extend(Ref(e.pk, e.owner_id) for e in objs)
        per_event = max(1, self.n["participants"] // max(1, len(self.event_refs)))
        roles = list(Participant.Role)
        for chunk in batches(len(self.event_refs), max(1, BATCH // per_event)):
            participants: list[Participant] = []
            for i in chunk:
                for _ in range(per_event):
                    participants.append(
                        Participant(
                            event_id=self.event_refs[i].pk,
                            person_id=self._person().pk,
                            role=self.rng.choice(roles),
                            attended=self.rng.random() < 0.9,
                        )
                    )
            self.write(Participant, participants)
        ctx = []
        for i in range(self.n["context_events"]):
            ws = self.rng.choice(self.workspaces)
            start = self.date(12, 0)
            ctx.append(
                ContextEvent(
                    **self.owned(ws),
                    title_fr=f"Attaque dans la région de {self.rng.choice(LOCALITIES)} ({i + 1})",
                    title_en=f"Attack near {self.rng.choice(LOCALITIES)} ({i + 1})",
                    kind=self.rng.choice(list(ContextEvent.Kind)),
                    start_date=start,
                    country=self.countries[self.partner_of[ws.pk]],
                )
            )
        self.write(ContextEvent, ctx)

    def sources(self) -> None:
        sources = []
        for i in range(self.n["sources"]):
            ws = self.rng.choice(self.workspaces)
            sources.append(
                Source(
                    **self.owned(ws),
                    title=f"Compte rendu n°{i + 1}",
                    kind=Source.Kind.REPORT,
                    text=f"Compte rendu de la mission {ws.name}. " * 5,
                    published_on=self.date(10, 0),
                )
            )
        self.write(Source, sources)
        activity_type = ContentType.objects.get_for_model(Activity)
        event_type = ContentType.objects.get_for_model(Event)
        for chunk in batches(self.n["citations"]):
            objs = []
            for _ in chunk:
                source = self.rng.choice(sources)
                if self.rng.random() < 0.7:
                    target, ctype = self.rng.choice(self.activity_refs), activity_type
                else:
                    target, ctype = self.rng.choice(self.event_refs), event_type
                objs.append(
                    Citation(
                        source=source,
                        content_type=ctype,
                        object_id=target.pk,
                        quote="Compte rendu de la mission",
                        start=0,
                        end=26,
                        confidence=Decimal("0.9"),
                    )
                )
            self.write(Citation, objs)

    def vetting(self) -> None:
        statuses = list(VettingRequest.Status)
        for chunk in batches(self.n["vetting_requests"]):
            objs = []
            for _ in chunk:
                ws = self.rng.choice(self.workspaces)
                person = self._person()
                requested = self.date(4, 1)
                status = self.rng.choice(statuses)
                objs.append(
                    VettingRequest(
                        **self.owned(ws),
                        subject_person=Person(pk=person.pk, full_name=person.name),
                        activity_id=self.rng.choice(self.activity_refs).pk,
                        status=status,
                        requested_on=requested,
                        decided_on=requested + dt.timedelta(days=30)
                        if status != "requested"
                        else None,
                        valid_until=requested + dt.timedelta(days=365)
                        if status == "approved"
                        else None,
                    )
                )
            self.write(VettingRequest, objs)


def synthesize(
    scale: str | float = "small",
    seed: int = 1,
    log: Callable[[str], None] = print,
    **world: Any,
) -> Counts:
    """Add a synthetic world to the database; returns what was written, table by table.
    `world`: the missions, members and release of `Synth`."""
    return Synth(scale, seed, log, **world).run()
