"""A national-scale synthetic dataset for the benchmarks.

Every kabupaten and kota (514 of them) gets a coordinator and a team, and the
institute gets admins, assessors and instructors. The data is generated from a
seed, so two runs with the same seed and settings hold the same people.

Each part of the dataset is one generator: a function registered with
``@generator("name")`` that takes the shared :class:`Context`, writes its rows and
returns ``{label: count}``, or returns ``None`` when its rows are already there.
Generators run in the order they are registered, each in its own transaction, so
a later one (registrations, schedules, assessments, …) may read what an earlier
one wrote, and an interrupted run leaves whole parts, never half of one.

Run it alone to fill a database without benchmarking it::

    .venv/bin/python bench/generate.py --database-url sqlite:///bench/out/bench.sqlite3

It refuses a database whose name does not contain ``bench``: the generator adds
thousands of accounts, which must never land in a real database.
"""

import argparse
import os
import random
import secrets
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as dt_time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "bench" / "out"
DEFAULT_DATABASE_URL = f"sqlite:///{OUT_DIR / 'bench.sqlite3'}"

DEFAULT_SEED = 37122
DEFAULT_TEAM_SIZE = 4
DEFAULT_ADMINS = 3
DEFAULT_ASSESSORS = 40
DEFAULT_INSTRUCTORS = 10

# Every generated account has this domain and this password; the benchmark logs
# in with them. The domain is reserved (RFC 2606), so no mail can ever leave.
EMAIL_DOMAIN = "bench.kotacerdas.test"
PASSWORD = "bench-password-2026"  # noqa: S105 -- synthetic accounts only

# The region whose coordinator and team the benchmark logs in as: Kota Surakarta.
# Its registration is always accepted after two rounds, with a change to the
# agreed set and a schedule, so that the coordinator's pages show every part.
LOGIN_REGION_CODE = "33.72"
# A region whose registration is always a draft, for the registration form:
# Kota Surabaya. Its coordinator is the account the form is timed as.
DRAFT_REGION_CODE = "35.78"

# Registrations: the share of each state, drawn per region from the seed (the two
# regions above excepted), and how many of the 80 indicators each proposes.
REGISTRATION_STATES = {
    "submitted": 0.70,
    "draft": 0.12,
    "returned": 0.08,
    "accepted": 0.10,
}
SECOND_ROUND_SHARE = 0.25  # of submitted and accepted ones: returned once before
AGREED_CHANGE_SHARE = 0.30  # of accepted ones: one indicator out, one in
PROPOSED_INDICATORS = (10, 30)
# Every generated document is a row pointing at this one small PDF, written once
# into the private storage (under DJANGO_VAR_DIR, so bench/out/var/private/).
BENCH_DOCUMENT = "bench/dokumen-contoh.pdf"
DOCUMENT_NAMES = {
    "application_letter": "surat-permohonan",
    "team_decree": "sk-tim",
    "implementation_plan": "rencana-penerapan",
}
RETURN_REASONS = {
    "application_letter": "Surat permohonan belum ditandatangani kepala daerah.",
    "team_decree": "Halaman tanda tangan SK tidak terbaca; unggah ulang.",
    "implementation_plan": "Rencana penerapan belum memuat jadwal per indikator.",
    "team_complete": "Jabatan salah satu anggota tim belum sesuai SK.",
}

FIRST_NAMES = [
    "Agus", "Ahmad", "Andi", "Ani", "Arif", "Ayu", "Bambang", "Budi", "Dedi",
    "Dewi", "Dian", "Eka", "Endang", "Fajar", "Fitri", "Hendra", "Indah", "Irfan",
    "Joko", "Kartika", "Lestari", "Made", "Muhammad", "Nur", "Nyoman", "Putri",
    "Rahmat", "Ratna", "Rina", "Rizky", "Sari", "Sri", "Teguh", "Wahyu", "Wayan",
    "Yohanes", "Yuni", "Yusuf",
]  # fmt: skip
FAMILY_NAMES = [
    "Hidayat", "Handayani", "Harahap", "Kurniawan", "Lubis", "Marpaung",
    "Nasution", "Pangaribuan", "Pratama", "Prasetyo", "Purba", "Rahayu",
    "Saputra", "Santoso", "Setiawan", "Simanjuntak", "Siregar", "Situmorang",
    "Susanto", "Tambunan", "Wibowo", "Wijaya", "Wulandari", "Yulianti",
]  # fmt: skip
AGENCIES = [
    ("Dinas Komunikasi dan Informatika", "Kepala Bidang Aplikasi Informatika"),
    ("Badan Perencanaan Pembangunan Daerah", "Analis Data"),
    ("Dinas Kesehatan", "Kepala Seksi Data dan Informasi"),
    ("Dinas Pendidikan", "Pengelola Data Pendidikan"),
    ("Dinas Perhubungan", "Kepala Seksi Lalu Lintas"),
    ("Dinas Lingkungan Hidup", "Analis Lingkungan"),
    ("Dinas Pekerjaan Umum dan Penataan Ruang", "Perencana Tata Ruang"),
    ("Badan Pusat Statistik Daerah", "Statistisi"),
]


@dataclass
class Context:
    """What every generator shares: the knobs, the one password hash, and ``rng``,
    which ``generate`` seeds afresh for each generator."""

    seed: int = DEFAULT_SEED
    team_size: int = DEFAULT_TEAM_SIZE
    admins: int = DEFAULT_ADMINS
    assessors: int = DEFAULT_ASSESSORS
    instructors: int = DEFAULT_INSTRUCTORS
    # The day the dates of registrations and schedules are counted from. The
    # bench period is the next year, as a coordinator registering today would
    # choose; windows are open and events to come on the day of generation.
    today: date = field(default_factory=lambda: datetime.now(UTC).date())
    rng: random.Random = field(default_factory=random.Random, init=False)
    _password_hash: str = field(default="", init=False, repr=False)

    @property
    def period(self):
        return self.today.year + 1

    @property
    def midnight(self):
        return datetime.combine(self.today, dt_time(), tzinfo=UTC)

    def days_before(self, moment, low, high):
        """A moment ``low`` to ``high`` days before ``moment``, to the second."""
        return moment - timedelta(seconds=round(self.rng.uniform(low, high) * 86400))

    def uuid(self):
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    @property
    def password_hash(self):
        """The hash of :data:`PASSWORD`, computed once for every account.

        Argon2 costs about 0.12 s a hash here, by design; hashing 2,600 passwords
        one by one would take over five minutes. Sharing one hash (and so one
        salt) would be wrong for real accounts, but here every account has the
        same known password anyway. Logging in still verifies the hash at full
        cost, so the login timings stay real.
        """
        if not self._password_hash:
            from django.contrib.auth.hashers import make_password

            # A salt from the seed keeps even the hash the same run to run.
            self._password_hash = make_password(
                PASSWORD, salt=f"kotacerdas-bench-{self.seed}"
            )
        return self._password_hash

    def person(self):
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(FAMILY_NAMES)}"

    def phone(self):
        return "08" + "".join(str(self.rng.randrange(10)) for _ in range(10))


@dataclass
class StepReport:
    name: str
    seconds: float
    created: dict | None  # None: skipped, its rows were already there

    def describe(self):
        if self.created is None:
            return f"{self.name}: already there ({self.seconds:.2f} s)"
        counts = ", ".join(f"{n} {label}" for label, n in self.created.items())
        return f"{self.name}: {counts} ({self.seconds:.2f} s)"


GENERATORS = []


def generator(name):
    """Register a generator under ``name``; they run in registration order."""

    def register(function):
        GENERATORS.append((name, function))
        return function

    return register


# -- Addresses shared with the benchmark ------------------------------------------


def region_slug(code):
    return code.replace(".", "-")


def coordinator_email(code):
    return f"koordinator.{region_slug(code)}@{EMAIL_DOMAIN}"


def member_email(code, number):
    return f"anggota{number}.{region_slug(code)}@{EMAIL_DOMAIN}"


def staff_email(role, number):
    return f"{role}{number:02d}@{EMAIL_DOMAIN}"


def login_email(role):
    """The account the benchmark logs in as for ``role`` (a Role value)."""
    if role == "participant":
        return coordinator_email(LOGIN_REGION_CODE)
    if role == "region_member":
        return member_email(LOGIN_REGION_CODE, 1)
    return staff_email(role, 1)


# -- Generators --------------------------------------------------------------------


@generator("reference data")
def generate_reference_data(ctx):
    """Regions, the ISO 37122 catalogue and the methodology, as `make db` loads
    them; the loaders compare before they write, so a second run is cheap."""
    from kotacerdas.indicators.services import (
        load_catalogue,
        load_default_methodologies,
    )
    from kotacerdas.regions.services import load_regions

    regions = load_regions()
    catalogue = load_catalogue()
    methodologies = load_default_methodologies()
    if not regions.created and not catalogue.created:
        return None
    return {
        "regions": regions.created,
        "catalogue rows": catalogue.created,
        "methodologies": sum(outcome == "created" for _, outcome in methodologies),
    }


@generator("institute staff")
def generate_staff(ctx):
    """Admins (staff and superusers, like the demo admin), assessors and
    instructors."""
    from kotacerdas.accounts.models import Role

    if _exists(staff_email(Role.ADMIN, 1)):
        return None
    counts = {
        Role.ADMIN: ctx.admins,
        Role.ASSESSOR: ctx.assessors,
        Role.INSTRUCTOR: ctx.instructors,
    }
    people = []
    for role, count in counts.items():
        is_admin = role == Role.ADMIN
        for number in range(1, count + 1):
            people.append(
                (
                    _user(
                        ctx,
                        staff_email(role, number),
                        is_staff=is_admin,
                        is_superuser=is_admin,
                    ),
                    [role],
                )
            )
    _save_people(people)
    return {f"{role.value}s": count for role, count in counts.items()}


@generator("region teams")
def generate_region_teams(ctx):
    """A coordinator and ``team_size`` members in every kabupaten and kota."""
    from kotacerdas.accounts.models import Role
    from kotacerdas.regions.models import Region

    if _exists(coordinator_email(LOGIN_REGION_CODE)):
        return None
    people = []
    for region in Region.objects.assessable().order_by("code"):
        agency, position = AGENCIES[0]
        coordinator = _user(
            ctx,
            coordinator_email(region.code),
            region=region,
            agency=agency,
            position=position,
        )
        people.append((coordinator, [Role.PARTICIPANT]))
        for number in range(1, ctx.team_size + 1):
            agency, position = AGENCIES[number % len(AGENCIES)]
            member = _user(
                ctx,
                member_email(region.code, number),
                region=region,
                agency=agency,
                position=position,
            )
            people.append((member, [Role.REGION_MEMBER]))
    _save_people(people)
    regions = len(people) // (ctx.team_size + 1)
    return {
        "regions": regions,
        "coordinators": regions,
        "team members": regions * ctx.team_size,
    }


def _exists(email):
    from kotacerdas.accounts.models import User

    return User.objects.filter(email=email).exists()


_JOINED = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)


def _user(ctx, email, **fields):
    from kotacerdas.accounts.models import User

    return User(
        email=email,
        full_name=ctx.person(),
        phone=ctx.phone(),
        password=ctx.password_hash,
        # A fixed start plus a seeded offset keeps the data the same run to run.
        date_joined=_JOINED + timedelta(minutes=ctx.rng.randrange(60 * 24 * 90)),
        **fields,
    )


def _save_people(people, batch_size=500):
    """Insert users and their roles in bulk.

    This skips ``accounts.services.create_user`` on purpose: it saves and audits
    one user at a time. So the generated accounts have no ``account.created``
    audit events, and ``UserRole.granted_at`` is the time of generation.
    """
    from kotacerdas.accounts.models import User, UserRole

    User.objects.bulk_create([user for user, _ in people], batch_size=batch_size)
    # Read the ids back instead of trusting bulk_create to set them: not every
    # database backend returns them.
    ids = dict(
        User.objects.filter(email__in=[user.email for user, _ in people]).values_list(
            "email", "pk"
        )
    )
    roles = [
        UserRole(user_id=ids[user.email], role=role)
        for user, user_roles in people
        for role in user_roles
    ]
    UserRole.objects.bulk_create(roles, batch_size=batch_size)


# -- Registrations and schedules -----------------------------------------------------
#
# These generators write the rows directly, in bulk, instead of calling the domain
# functions (registrations.services, scheduling.services): those lock, check,
# save and notify one registration at a time, a few dozen queries and an e-mail
# each, which for 514 regions would take minutes. The rows are the ones the
# domain functions write (the registration, its sets, documents, rounds with
# their snapshots and checklist items, the changes to the agreed set, windows,
# events, teams and the audit trail), except that no notifications are written
# (so none is e-mailed), ``updated_at`` is the time of generation, and the
# training app's submission check is not applied (as in registrations/demo.py).


@dataclass
class _Round:
    number: int
    submitted_at: datetime
    indicators: list  # indicator ids proposed in this round
    outcome: str = "pending"
    checked_at: datetime | None = None
    checked_by: object = None
    failed: str = ""  # the checklist item that was not in order, if returned


@dataclass
class _Plan:
    """One region's registration before it is written."""

    region: object
    coordinator: object
    team: list
    state: str
    created_at: datetime
    proposed: list
    documents: dict = field(default_factory=dict)  # field -> StoredFile
    rounds: list = field(default_factory=list)
    removed: int | None = None  # indicator ids taken out of / into the agreed set
    added: int | None = None

    @property
    def code(self):
        return self.region.code


def _pick_state(ctx, code):
    if code == LOGIN_REGION_CODE:
        return "accepted"
    if code == DRAFT_REGION_CODE:
        return "draft"
    states, weights = zip(*REGISTRATION_STATES.items(), strict=True)
    return ctx.rng.choices(states, weights)[0]


def _plan_rounds(ctx, plan, admins):
    """The submission rounds of ``plan`` and their times, oldest first."""
    now = ctx.midnight
    if plan.state == "draft":
        plan.created_at = ctx.days_before(now, 1, 60)
        return
    two = plan.code == LOGIN_REGION_CODE or (
        plan.state in ("submitted", "accepted")
        and ctx.rng.random() < SECOND_ROUND_SHARE
    )
    # The last event first, then back in time.
    if plan.state == "submitted":
        last_submitted = ctx.days_before(now, 0.2, 30 if two else 45)
        last_checked = None
    else:
        low, high = (5, 40) if plan.state == "accepted" else (0.5, 30)
        last_checked = ctx.days_before(now, low, high)
        last_submitted = ctx.days_before(last_checked, 0.5, 7)
    # In a second round the coordinator had added one indicator after the return.
    final = plan.proposed
    if two:
        first_checked = ctx.days_before(last_submitted, 1, 10)
        first = _Round(
            1,
            ctx.days_before(first_checked, 0.5, 7),
            final[:-1],
            outcome="returned",
            checked_at=first_checked,
            checked_by=ctx.rng.choice(admins),
            failed=ctx.rng.choice(list(RETURN_REASONS)),
        )
        plan.rounds.append(first)
    last = _Round(len(plan.rounds) + 1, last_submitted, final)
    if plan.state != "submitted":
        last.outcome = plan.state
        last.checked_at = last_checked
        last.checked_by = ctx.rng.choice(admins)
        if plan.state == "returned":
            last.failed = ctx.rng.choice(list(RETURN_REASONS))
    plan.rounds.append(last)
    plan.created_at = ctx.days_before(plan.rounds[0].submitted_at, 3, 30)


def _region_people():
    """``{region_id: (coordinator, team)}`` of the generated region accounts; the
    team is the region's coordinator and members, as start_registration sets it."""
    from kotacerdas.accounts.models import Role, User, UserRole

    coordinators = set(
        UserRole.objects.filter(role=Role.PARTICIPANT).values_list("user_id", flat=True)
    )
    people = {}
    users = User.objects.filter(
        region__isnull=False, is_active=True, email__endswith=f"@{EMAIL_DOMAIN}"
    ).order_by("full_name", "pk")
    for user in users:
        coordinator, team = people.setdefault(user.region_id, [None, []])
        team.append(user)
        if coordinator is None and user.pk in coordinators:
            people[user.region_id][0] = user
    return {r: (c, t) for r, (c, t) in people.items() if c is not None}


def _bench_document():
    """Write the one PDF every generated document points at, unless it is there
    already; return its size and SHA-256."""
    import hashlib

    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    from kotacerdas.registrations.demo import demo_pdf

    content = demo_pdf(
        "Dokumen contoh untuk benchmark", "Semua kabupaten dan kota (data sintetis)"
    )
    storage = storages["private"]
    if storage.exists(BENCH_DOCUMENT):
        with storage.open(BENCH_DOCUMENT) as stored:
            if stored.read() != content:
                storage.delete(BENCH_DOCUMENT)
    if not storage.exists(BENCH_DOCUMENT):
        storage.save(BENCH_DOCUMENT, ContentFile(content))
    return len(content), hashlib.sha256(content).hexdigest()


def _snapshot(plan, indicator_ids, clauses, sha256):
    """What registrations.services.snapshot freezes for a round."""
    return {
        "contact": {
            "name": plan.coordinator.full_name,
            "phone": plan.coordinator.phone,
            "email": plan.coordinator.email,
        },
        "indicators": sorted(
            (clauses[pk] for pk in indicator_ids),
            key=lambda clause: [int(part) for part in clause.split(".")],
        ),
        "documents": {
            name: {"id": str(stored.pk), "name": stored.original_name, "sha256": sha256}
            for name, stored in plan.documents.items()
        },
        "team": [
            {
                "id": member.pk,
                "name": member.full_name,
                "agency": member.agency,
                "position": member.position,
            }
            for member in plan.team
        ],
    }


class _Trail:
    """Audit events as common.audit.record writes them, collected for one insert."""

    def __init__(self):
        self.events = []

    def add(self, obj_type, obj_id, label, *, actor, action, at, **fields):
        from kotacerdas.common.models import AuditEvent

        self.events.append(
            AuditEvent(
                created_at=at,
                actor=actor,
                actor_label=actor.full_name or actor.email,
                action=action,
                content_type=obj_type,
                object_id=str(obj_id),
                object_label=label[:255],
                **fields,
            )
        )

    def save(self):
        from kotacerdas.common.models import AuditEvent

        AuditEvent.objects.bulk_create(self.events, batch_size=500)
        return len(self.events)


@generator("registrations")
def generate_registrations(ctx):
    """A registration of every kabupaten and kota for the bench period, in a
    seeded mix of states, with its proposed indicators, team, documents, rounds
    and, once accepted, the agreed set."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils.translation import gettext as _

    from kotacerdas.accounts.models import Role, User
    from kotacerdas.common.models import StoredFile
    from kotacerdas.indicators.models import Indicator
    from kotacerdas.indicators.services import current_methodology
    from kotacerdas.regions.models import Region
    from kotacerdas.registrations.checklist import CHECKLIST
    from kotacerdas.registrations.models import (
        CheckItem,
        IndicatorChange,
        Registration,
        SubmissionRound,
    )

    if Registration.objects.exists():
        return None
    size, sha256 = _bench_document()
    methodology = current_methodology()
    clauses = dict(
        Indicator.objects.active().order_by("sort_key").values_list("pk", "clause")
    )
    indicator_ids = list(clauses)
    admins = list(
        User.objects.filter(
            roles__role=Role.ADMIN, email__endswith=f"@{EMAIL_DOMAIN}"
        ).order_by("email")
    )
    people = _region_people()
    regions = [
        r for r in Region.objects.assessable().order_by("code") if r.pk in people
    ]

    plans = []
    for region in regions:
        coordinator, team = people[region.pk]
        plan = _Plan(
            region=region,
            coordinator=coordinator,
            team=team,
            state=_pick_state(ctx, region.code),
            created_at=ctx.midnight,
            proposed=ctx.rng.sample(
                indicator_ids, ctx.rng.randint(*PROPOSED_INDICATORS)
            ),
        )
        _plan_rounds(ctx, plan, admins)
        if plan.state == "draft":
            count = 2 if region.code == DRAFT_REGION_CODE else ctx.rng.randint(0, 3)
            attached = ctx.rng.sample(list(DOCUMENT_NAMES), count)
        else:
            attached = list(DOCUMENT_NAMES)
        for name in attached:
            plan.documents[name] = StoredFile(
                id=ctx.uuid(),
                file=BENCH_DOCUMENT,
                original_name=f"{DOCUMENT_NAMES[name]}-{region_slug(region.code)}.pdf",
                content_type="application/pdf",
                size=size,
                sha256=sha256,
                uploaded_by=coordinator,
                region=region,
                # Within two days of starting, and never after the day of
                # generation (a draft may have been started yesterday).
                created_at=min(
                    plan.created_at + timedelta(minutes=ctx.rng.randrange(10, 60 * 48)),
                    ctx.midnight,
                ),
            )
        if plan.state == "accepted" and (
            region.code == LOGIN_REGION_CODE or ctx.rng.random() < AGREED_CHANGE_SHARE
        ):
            plan.removed = ctx.rng.choice(plan.proposed)
            plan.added = ctx.rng.choice(
                [pk for pk in indicator_ids if pk not in plan.proposed]
            )
        plans.append(plan)

    StoredFile.objects.bulk_create(
        [stored for plan in plans for stored in plan.documents.values()],
        batch_size=500,
    )
    Registration.objects.bulk_create(
        [
            Registration(
                region=plan.region,
                period=ctx.period,
                coordinator=plan.coordinator,
                contact_name=plan.coordinator.full_name,
                contact_phone=plan.coordinator.phone,
                contact_email=plan.coordinator.email,
                state=plan.state,
                methodology=methodology,
                application_letter=plan.documents.get("application_letter"),
                team_decree=plan.documents.get("team_decree"),
                implementation_plan=plan.documents.get("implementation_plan"),
                created_at=plan.created_at,
                submitted_at=plan.rounds[-1].submitted_at if plan.rounds else None,
                decided_at=plan.rounds[-1].checked_at
                if plan.state == "accepted"
                else None,
            )
            for plan in plans
        ],
        batch_size=500,
    )
    # Ids read back, as in _save_people: not every backend returns them.
    ids = dict(
        Registration.objects.filter(period=ctx.period).values_list("region_id", "pk")
    )

    proposed_row = Registration.proposed_indicators.through
    agreed_row = Registration.agreed_indicators.through
    team_row = Registration.team.through
    proposed, agreed, team, rounds, changes = [], [], [], [], []
    for plan in plans:
        pk = ids[plan.region.pk]
        proposed += [
            proposed_row(registration_id=pk, indicator_id=i) for i in plan.proposed
        ]
        team += [
            team_row(registration_id=pk, user_id=member.pk) for member in plan.team
        ]
        for r in plan.rounds:
            rounds.append(
                SubmissionRound(
                    registration_id=pk,
                    number=r.number,
                    submitted_at=r.submitted_at,
                    submitted_by=plan.coordinator,
                    snapshot=_snapshot(plan, r.indicators, clauses, sha256),
                    outcome=r.outcome,
                    checked_by=r.checked_by,
                    checked_at=r.checked_at,
                    note=_round_note(r),
                )
            )
        if plan.state != "accepted":
            continue
        decided, admin = plan.rounds[-1].checked_at, plan.rounds[-1].checked_by
        chosen = [i for i in plan.proposed if i != plan.removed]
        if plan.added:
            chosen.append(plan.added)
        agreed += [agreed_row(registration_id=pk, indicator_id=i) for i in chosen]
        for indicator, kind, reason in (
            (plan.added, "added", "Data tersedia dan penting untuk tema ini."),
            (plan.removed, "removed", "Data belum dihimpun oleh perangkat daerah."),
        ):
            if indicator:
                changes.append(
                    IndicatorChange(
                        registration_id=pk,
                        indicator_id=indicator,
                        kind=kind,
                        reason=reason,
                        changed_by=admin,
                        changed_at=decided,
                    )
                )
    proposed_row.objects.bulk_create(proposed, batch_size=1000)
    agreed_row.objects.bulk_create(agreed, batch_size=1000)
    team_row.objects.bulk_create(team, batch_size=1000)
    SubmissionRound.objects.bulk_create(rounds, batch_size=200)
    IndicatorChange.objects.bulk_create(changes, batch_size=500)

    round_ids = {
        (registration, number): pk
        for pk, registration, number in SubmissionRound.objects.filter(
            registration__period=ctx.period
        ).values_list("pk", "registration_id", "number")
    }
    items = []
    for plan in plans:
        for r in plan.rounds:
            if r.outcome == "pending":
                continue
            round_id = round_ids[(ids[plan.region.pk], r.number)]
            items += [
                CheckItem(
                    round_id=round_id,
                    code=code,
                    passed=code != r.failed,
                    note=RETURN_REASONS[code] if code == r.failed else "",
                )
                for code in CHECKLIST
            ]
    CheckItem.objects.bulk_create(items, batch_size=1000)

    # The trail, as start, attach_document, submit, return and accept record it.
    registration_type = ContentType.objects.get_for_model(Registration)
    file_type = ContentType.objects.get_for_model(StoredFile)
    trail = _Trail()
    for plan in plans:
        pk = ids[plan.region.pk]
        label = f"{plan.region} — {ctx.period}"
        coordinator = plan.coordinator
        trail.add(
            registration_type,
            pk,
            label,
            actor=coordinator,
            action="registration.started",
            at=plan.created_at,
        )
        for name, stored in plan.documents.items():
            trail.add(
                file_type,
                stored.pk,
                stored.original_name,
                actor=coordinator,
                action="file.uploaded",
                at=stored.created_at,
            )
            verbose = Registration._meta.get_field(name).verbose_name
            trail.add(
                registration_type,
                pk,
                label,
                actor=coordinator,
                action="registration.document_attached",
                at=stored.created_at,
                note=f"{verbose}: {stored.original_name}",
            )
        for r in plan.rounds:
            trail.add(
                registration_type,
                pk,
                label,
                actor=coordinator,
                action="registration.submitted",
                at=r.submitted_at,
                from_state="draft" if r.number == 1 else "returned",
                to_state="submitted",
                note=_("Round %(number)s") % {"number": r.number},
            )
            if r.outcome == "returned":
                data = {"failed": [r.failed]}
            elif r.outcome == "accepted":
                data = {
                    "added": [clauses[plan.added]] if plan.added else [],
                    "removed": [clauses[plan.removed]] if plan.removed else [],
                }
            else:
                continue
            trail.add(
                registration_type,
                pk,
                label,
                actor=r.checked_by,
                action=f"registration.{r.outcome}",
                at=r.checked_at,
                from_state="submitted",
                to_state=r.outcome,
                note=_round_note(r),
                data=data,
            )
    events = trail.save()

    counts = Counter(plan.state for plan in plans)
    return {
        "registrations": len(plans),
        **{state: counts[state] for state in REGISTRATION_STATES},
        "proposed indicators": len(proposed),
        "rounds": len(rounds),
        "checklist items": len(items),
        "documents": sum(len(plan.documents) for plan in plans),
        "audit events": events,
    }


def _round_note(r):
    if r.outcome == "returned":
        return "Mohon perbaiki butir yang ditandai, lalu kirim kembali."
    if r.outcome == "accepted":
        return "Lengkap. Selamat mengikuti tahap penilaian kesiapan."
    return ""


@generator("schedules")
def generate_schedules(ctx):
    """The readiness stage of every accepted registration scheduled: its
    data-entry window, a desk review and an interview, and a lead assessor, the
    leads taken in turn from the generated assessors."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils.translation import gettext as _

    from kotacerdas.accounts.models import Role, User
    from kotacerdas.registrations.models import Registration, RegistrationState
    from kotacerdas.scheduling.localtime import format_local
    from kotacerdas.scheduling.models import (
        AssessmentEvent,
        DataEntryWindow,
        EventKind,
        Stage,
        TeamAssignment,
    )

    if DataEntryWindow.objects.exists():
        return None
    accepted = list(
        Registration.objects.filter(
            state=RegistrationState.ACCEPTED, decided_at__isnull=False
        )
        .select_related("region")
        .order_by("region__code")
    )
    assessors = list(
        User.objects.filter(
            roles__role=Role.ASSESSOR, email__endswith=f"@{EMAIL_DOMAIN}"
        ).order_by("email")
    )
    admins = list(
        User.objects.filter(
            roles__role=Role.ADMIN, email__endswith=f"@{EMAIL_DOMAIN}"
        ).order_by("email")
    )
    if not (accepted and assessors and admins):
        return {"scheduled registrations": 0}

    stage = Stage.READINESS
    windows, events, assignments, plans = [], [], [], []
    for number, registration in enumerate(accepted):
        zone = registration.region.zone
        decided = registration.decided_at.astimezone(zone).date()
        opens = decided + timedelta(days=ctx.rng.randint(1, 4))
        closes = opens + timedelta(days=30)
        admin = ctx.rng.choice(admins)
        lead = assessors[number % len(assessors)]
        set_at = registration.decided_at + timedelta(hours=ctx.rng.randint(2, 20))

        def at(day, hour, zone=zone):
            return datetime.combine(day, dt_time(hour), tzinfo=zone)

        window = DataEntryWindow(
            registration=registration,
            stage=stage,
            opens_at=at(opens, 8),
            closes_at=at(closes, 16),
            created_at=set_at,
        )
        review = AssessmentEvent(
            registration=registration,
            stage=stage,
            kind=EventKind.DESK_REVIEW,
            starts_at=at(closes + timedelta(days=3), 9),
            ends_at=at(closes + timedelta(days=3), 15),
            place="Kantor PPTI, Jakarta",
            notes="Penilaian dokumen isian kesiapan dan bukti dukung.",
            uid=ctx.uuid(),
            created_by=admin,
            created_at=set_at,
        )
        interview = AssessmentEvent(
            registration=registration,
            stage=stage,
            kind=EventKind.INTERVIEW,
            starts_at=at(closes + timedelta(days=7), 10),
            ends_at=at(closes + timedelta(days=7), 12),
            online_url="https://meet.example.org/ppti-kesiapan-"
            + region_slug(registration.region.code),
            notes="Wawancara daring dengan koordinator dan tim.",
            uid=ctx.uuid(),
            created_by=admin,
            created_at=set_at,
        )
        assignment = TeamAssignment(
            registration=registration,
            stage=stage,
            assessor=lead,
            is_lead=True,
            acknowledged_warnings=[],
            assigned_by=admin,
            assigned_at=set_at,
        )
        windows.append(window)
        events += [review, interview]
        assignments.append(assignment)
        plans.append((registration, admin, window, (review, interview), assignment))
    DataEntryWindow.objects.bulk_create(windows, batch_size=500)
    AssessmentEvent.objects.bulk_create(events, batch_size=500)
    TeamAssignment.objects.bulk_create(assignments, batch_size=500)

    # The trail, as set_window, assign_assessor and add_event record it; their
    # data names the window and events, so their ids are read back first.
    window_ids = dict(
        DataEntryWindow.objects.filter(stage=stage).values_list("registration_id", "pk")
    )
    event_ids = dict(AssessmentEvent.objects.values_list("uid", "pk"))
    registration_type = ContentType.objects.get_for_model(Registration)
    stage_label = str(Stage(stage).label)
    trail = _Trail()
    for registration, admin, window, scheduled, assignment in plans:
        region = registration.region
        record = {
            "obj_type": registration_type,
            "obj_id": registration.pk,
            "label": str(registration),
            "actor": admin,
            "at": window.created_at,
        }
        trail.add(
            **record,
            action="schedule.window_set",
            note=f"{stage_label}: {format_local(window.opens_at, region)} – "
            f"{format_local(window.closes_at, region)}",
            data={"window": window_ids[registration.pk], "stage": stage.value},
        )
        trail.add(
            **record,
            action="schedule.assessor_assigned",
            note=f"{assignment.assessor.full_name} ({_('lead assessor')}, "
            f"{stage_label})",
            data={
                "assessor": assignment.assessor.pk,
                "stage": stage.value,
                "lead": True,
                "warnings": [],
            },
        )
        for event in scheduled:
            trail.add(
                **record,
                action="schedule.event_added",
                note=f"{EventKind(event.kind).label}: "
                f"{format_local(event.starts_at, region)}",
                data={"event": event_ids[event.uid], "stage": stage.value},
            )
    return {
        "windows": len(windows),
        "events": len(events),
        "lead assessors": len(assignments),
        "audit events": trail.save(),
    }


# -- Readiness stages under review and certified -------------------------------------
#
# Two accepted regions are walked through the readiness stage by the domain
# functions (assessments.services, scheduling.services,
# certificates.readiness), as people would take them, so that every row, audit
# event and the certificate's PDF and hash are real: the first accepted region
# after Surakarta (in code order) is left under review with all 80 indicators
# scored by a lead and a second assessor; the next one is decided passed and
# certified. Surakarta itself is left as it is, so that the coordinator's pages
# keep their figures. The scores go through record_scores (one call per
# assessor, 640 criteria) rather than bulk_create: the whole generator takes a
# few seconds, and the rows are then exactly the ones an assessor's form writes.

REVIEW_SCORES = {"S1": 2, "S2": 1, "S3": 2, "I1": 2, "I2": 1, "P1": 2, "P2": 2, "P3": 1}


def bench_stage_registrations():
    """The registrations whose readiness stage is under review and certified."""
    from kotacerdas.registrations.models import Registration, RegistrationState
    from kotacerdas.scheduling.models import DataEntryWindow

    scheduled = DataEntryWindow.objects.values("registration_id")
    registrations = list(
        Registration.objects.filter(state=RegistrationState.ACCEPTED, pk__in=scheduled)
        .exclude(region__code=LOGIN_REGION_CODE)
        .select_related("region", "coordinator")
        .order_by("region__code")[:2]
    )
    if len(registrations) < 2:
        return None, None
    return registrations[0], registrations[1]


def review_team(registration):
    """The lead and the second assessor of a registration's readiness stage."""
    from kotacerdas.scheduling.models import Stage, TeamAssignment

    rows = TeamAssignment.objects.filter(
        registration=registration, stage=Stage.READINESS
    ).select_related("assessor")
    lead = next(r.assessor for r in rows if r.is_lead)
    second = next((r.assessor for r in rows if not r.is_lead), None)
    return lead, second


@generator("readiness stages")
def generate_readiness_stages(ctx):
    """A stage under review by two assessors and a certified one, 80 indicators
    each."""
    from kotacerdas.accounts.models import Role, User
    from kotacerdas.assessments import services
    from kotacerdas.assessments.models import Answer, StageRecord
    from kotacerdas.assessments.scoring import criterion_codes
    from kotacerdas.certificates.readiness import issue_readiness_certificate
    from kotacerdas.indicators.models import Indicator
    from kotacerdas.scheduling import services as scheduling_services
    from kotacerdas.scheduling.models import DataEntryWindow, Stage

    review, certified = bench_stage_registrations()
    if review is None:
        return {"stages": 0}
    if StageRecord.objects.filter(registration=review).exists():
        return None
    admin = User.objects.get(email=staff_email(Role.ADMIN, 1))
    assessors = list(
        User.objects.filter(
            roles__role=Role.ASSESSOR, email__endswith=f"@{EMAIL_DOMAIN}"
        ).order_by("email")
    )
    indicators = list(Indicator.objects.active().order_by("sort_key"))
    now = datetime.now(UTC)
    counts = Counter()
    for registration, certify in ((review, False), (certified, True)):
        registration.agreed_indicators.set(indicators)
        # The window of the schedules generator follows the decision, which may
        # be days before or after today; the answers need it open now.
        DataEntryWindow.objects.filter(
            registration=registration, stage=Stage.READINESS
        ).update(opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=29))
        lead, _ = review_team(registration)
        second = next(a for a in reversed(assessors) if a != lead)
        scheduling_services.assign_assessor(
            registration,
            actor=admin,
            stage=Stage.READINESS,
            assessor=second,
            is_lead=False,
            acknowledge_warnings=True,
        )
        stage = services.open_stage(registration, actor=admin, stage=Stage.READINESS)
        codes = criterion_codes(stage)
        coordinator = registration.coordinator
        answers = {
            code: {"answer": Answer.YES, "explanation": "Sudah ditetapkan."}
            for code in codes
        }
        responses = list(stage.responses.all())
        for response in responses:
            services.save_response(response, actor=coordinator, answers=answers)
        services.submit_stage(stage, actor=coordinator)
        services.start_review(stage, actor=lead)
        points = dict.fromkeys(codes, 2) if certify else REVIEW_SCORES
        scores = {
            r.indicator_id: {code: (points.get(code, 2), "") for code in codes}
            for r in responses
        }
        for assessor in (lead, second):
            services.record_scores(stage, actor=assessor, scores=scores)
            services.submit_scores(stage, actor=assessor)
        counts["responses"] += len(responses)
        counts["scores"] += 2 * len(responses) * len(codes)
        if certify:
            services.complete_assessment(stage, actor=lead)
            services.decide_stage(
                stage, actor=lead, summary="Seluruh indikator siap diukur."
            )
            # The PDF is drawn by the task after commit (immediate backend).
            issue_readiness_certificate(stage, actor=admin)
            counts["certificates"] += 1
        counts["stages"] += 1
    return dict(counts)


# -- Running -----------------------------------------------------------------------


def check_bench_database(database_url):
    """Refuse a database that is not obviously a benchmark one."""
    import dj_database_url

    name = str(dj_database_url.parse(database_url).get("NAME") or "")
    if "bench" not in Path(name).name:
        raise SystemExit(
            f"Refusing database {name!r}: its name must contain 'bench', because "
            "the generator adds thousands of synthetic accounts."
        )


def bench_environment(database_url):
    """The environment of a production-like process on the bench database."""
    return {
        "DJANGO_SETTINGS_MODULE": "kotacerdas.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_HTTPS": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_BENCH_QUERY_HEADER": "true",
        "DATABASE_URL": database_url,
        "DJANGO_LOG_LEVEL": "INFO",
        # Private uploads and anything else under var/ stay out of the dev tree.
        "DJANGO_VAR_DIR": str(OUT_DIR / "var"),
    }


def setup_django(environment):
    """Configure Django in this process; the environment must be final by now."""
    os.environ.update(environment)
    import django

    django.setup()


def migrate():
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    return time.perf_counter() - started


def generate(ctx=None, *, echo=print):
    """Run every generator in order; return a list of :class:`StepReport`.

    Side effects: writes the rows of each generator that has not run yet, each
    generator in one transaction.
    """
    from django.db import transaction
    from django.test.utils import override_settings

    from kotacerdas.accounts.management.commands.create_demo_data import DROP_MAIL

    ctx = ctx or Context()
    reports = []
    # The synthetic people have no mailboxes: the notifications the domain
    # functions write stay in the inboxes, the e-mails are dropped.
    with override_settings(MAILERS=DROP_MAIL):
        for name, function in GENERATORS:
            reports.append(_run_generator(ctx, name, function, transaction, echo))
    return reports


def _run_generator(ctx, name, function, transaction, echo):
    # Each generator draws from its own stream, so that skipping one (its rows
    # are there already) does not change what the next one generates.
    ctx.rng = random.Random(f"{ctx.seed}:{name}")
    started = time.perf_counter()
    with transaction.atomic():
        created = function(ctx)
    report = StepReport(name, time.perf_counter() - started, created)
    echo(f"  {report.describe()}")
    return report


def summary():
    """What the database holds, counted, whoever generated it."""
    from django.db.models import Count

    from kotacerdas.accounts.models import User, UserRole
    from kotacerdas.indicators.models import Indicator
    from kotacerdas.regions.models import Region
    from kotacerdas.registrations.models import Registration
    from kotacerdas.scheduling.models import AssessmentEvent

    roles = dict(
        UserRole.objects.values_list("role").annotate(n=Count("id")).order_by("role")
    )
    states = dict(
        Registration.objects.values_list("state")
        .annotate(n=Count("id"))
        .order_by("state")
    )
    return {
        "regions (kab/kota)": Region.objects.assessable().count(),
        "indicators": Indicator.objects.count(),
        "users": User.objects.count(),
        **{f"role {role}": n for role, n in roles.items()},
        "registrations": sum(states.values()),
        **{f"registrations {state}": n for state, n in states.items()},
        "assessment events": AssessmentEvent.objects.count(),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--team-size", type=int, default=DEFAULT_TEAM_SIZE)
    args = parser.parse_args(argv)

    check_bench_database(args.database_url)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    setup_django(
        {**bench_environment(args.database_url), "DJANGO_LOG_LEVEL": "WARNING"}
    )
    print(f"Migrating {args.database_url} … {migrate():.1f} s")
    started = time.perf_counter()
    generate(Context(seed=args.seed, team_size=args.team_size))
    print(f"Generated in {time.perf_counter() - started:.1f} s: {summary()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
