"""Demo data at scale: complaints in every state for every council, written in bulk.

``seed_demo`` does in bulk what the services do one case at a time. Each case
gets a target state, and a story (``seeding_story``) walks the services' moves
to reach it before "today"; deadlines come straight from the deadline engine
with the policy version the case was received under, and are marked met,
cancelled or paused exactly as the services would have. Each case, its
stages and its deadlines get their first history row, as
``bulk_create_with_history`` would give them. Everything is written in one
transaction that holds the council rows locked as ``complaint_create`` does,
so references continue each council's sequence.

Deterministic: the same seed, options, ``today`` and starting database give
the same references, states, dates and words, however many worker processes
tell the stories. Nothing reads the clock for a data value (only the auto
timestamps ``created_at``/``updated_at``/``Note.created_at``, which record when
the seeding ran).

Two passes keep references in receipt order, as the services would have
issued them: the first places every case (council, target state, receipt
instant; a few bytes each), the second re-tells each story in order of
council and receipt and writes it. Both passes run in chunks, in worker
processes for big runs (``seeding_pool``); rows go to PostgreSQL with COPY
and to other databases with ``bulk_create`` (``seeding_write``).

By default receipts spread over the two years before today, with every state
well represented (about half the cases open), which suits a demo. A
benchmark database asks for the shape of a real deployment instead: ten
years (``years``) with about 5% open (``open_percent``); ``backdate_policies``
then records, for a council whose first policy version is later than the
window's start, a copy of that version in force from the start (its version
id says it is a demo copy), so every case has a policy it was received under.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import os
import random
import time
from array import array
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection, reset_queries, transaction
from django.db.models import Max
from django.utils import timezone

from complaints.models import OPEN, Complaint, ServiceArea, StaffMember, State
from complaints.services.demo import ROLE_SUFFIX
from complaints.services.errors import DomainError
from complaints.services.seeding_plan import STATES, KitSpec
from complaints.services.seeding_pool import Tellers
from complaints.services.seeding_rows import Shapes
from complaints.services.seeding_story import HANDLER
from complaints.services.seeding_write import CopyWriter, DeferredIndexes, OrmWriter, Writer
from complaints.services import seeding_text as words
from deadlines.calendar import LONDON
from policies.loader import canonical_json
from policies.models import Council, PolicyVersion

STATE_WEIGHTS = {
    State.NEW: 4, State.INFORMAL: 3, State.STAGE1: 10, State.STAGE1_RESPONDED: 6, State.STAGE2: 5,
    State.STAGE2_RESPONDED: 4, State.PANEL: 3, State.PANEL_RESPONDED: 3, State.ON_HOLD: 4, State.OMBUDSMAN: 3,
    State.CLOSED: 38, State.SERVICE_REQUEST: 6, State.REFUSED: 5, State.WITHDRAWN: 5,
}
COUNCIL_WEIGHTS = {"barnet": 25, "lbbd": 20, "barnet-group": 15, "bucks": 20, "brighton-hove": 20}
NEEDS_STAGE = {State.INFORMAL: "informal", State.STAGE2: "stage2", State.STAGE2_RESPONDED: "stage2",
               State.PANEL: "panel", State.PANEL_RESPONDED: "panel"}
FEEDBACK_KINDS = (("compliment", "compliments"), ("comment", "comments"), ("suggestion", "suggestions"))
PARALLEL_FROM = 20_000  # cases; below this, starting worker processes costs more than it saves
DEFER_INDEXES_FROM = 50_000  # cases; and only into a database holding no more complaints than that


class SeedingRefused(DomainError):
    code = "seeding_refused"


@dataclass(frozen=True)
class SeedOptions:
    complaints: int
    seed: int
    today: dt.date
    batch_size: int = 2000  # cases per chunk (told together, written together)
    years: int = 2  # receipts spread over this many years before today
    open_percent: float | None = None  # share of cases still open; None: the demo's mix (about half)
    backdate_policies: bool = False
    workers: int | None = None  # processes telling stories; None: one per core for big runs, else none
    defer_indexes: bool | None = None  # None: for big loads into a small PostgreSQL database
    writer: str | None = None  # "copy" (PostgreSQL) or "orm"; None: copy on PostgreSQL


@dataclass
class SeedReport:
    options: SeedOptions
    by_council_state: Counter = field(default_factory=Counter)
    rows: Counter = field(default_factory=Counter)
    councils: list[str] = field(default_factory=list)
    overdue: int = 0  # open council deadlines of open cases, due before today
    elapsed: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)  # seconds: placing, writing, indexes
    workers: int = 0
    backdated: list[str] = field(default_factory=list)  # "slug version-id" recorded as demo copies

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def _staff(council: Council) -> dict[str, int]:
    """The council's demo officer, investigator and manager (created without a usable password if missing)."""
    users = {}
    suffix_role = {suffix: role for role, suffix in ROLE_SUFFIX.items()}
    for suffix in sorted(set(HANDLER.values())):
        user, created = get_user_model().objects.get_or_create(
            username=f"{council.slug}-{suffix}",
            defaults={"first_name": suffix.title(), "last_name": council.short_name,
                      "email": f"{council.slug}-{suffix}@example.invalid"})
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            StaffMember.objects.create(user=user, council=council, role=suffix_role[suffix])
        users[suffix] = user.pk
    return users


def _backdate(council: Council, first: PolicyVersion, start: dt.date) -> PolicyVersion:
    """A demo copy of the council's first policy version, in force from ``start``."""
    version_id = f"{first.version_id.split('-demo-')[0]}-demo-{start:%Y%m%d}"
    content = copy.deepcopy(first.content)
    content["version"]["id"], content["version"]["effective_from"] = version_id, start.isoformat()
    version, _ = PolicyVersion.objects.get_or_create(
        council=council, version_id=version_id,
        defaults={"effective_from": start, "content": content, "source_file": first.source_file,
                  "sha256": hashlib.sha256(canonical_json(content).encode()).hexdigest()})
    return version


def _kits(options: SeedOptions, report: SeedReport) -> list[KitSpec]:
    today = options.today
    councils = list(Council.objects.select_for_update().order_by("slug"))  # as complaint_create: sequences
    if not PolicyVersion.objects.exists():
        raise SeedingRefused("no policies loaded: run `python manage.py load_policies` first")
    start = today - dt.timedelta(days=365 * options.years)
    kits = []
    for council in councils:
        versions = [v for v in PolicyVersion.objects.filter(council=council).order_by("effective_from")
                    if v.effective_from <= today]
        if not versions:
            continue
        if options.backdate_policies and versions[0].effective_from > start:
            versions.insert(0, _backdate(council, versions[0], start))
            report.backdated.append(f"{council.slug} {versions[0].version_id}")
        policy = versions[-1].policy
        states = [s for s in STATES if s not in NEEDS_STAGE or policy.stage(NEEDS_STAGE[s]) is not None]
        for name, category in words.SERVICE_AREAS.get(council.slug, words.DEFAULT_AREAS):
            ServiceArea.objects.get_or_create(council=council, name=name, defaults={"category": category})
        areas = list(ServiceArea.objects.filter(council=council).order_by("pk").values_list("pk", "category"))
        earliest = max(start, versions[0].effective_from)
        kits.append(KitSpec(
            council_id=council.pk, slug=council.slug, reference_prefix=council.reference_prefix,
            versions=tuple((v.pk, v.effective_from, v.content) for v in versions), earliest=earliest,
            states=tuple(states), areas=tuple(areas), users=tuple(sorted(_staff(council).items()))))
    if not kits:
        raise SeedingRefused(f"no council has a policy version in force on {today.isoformat()}")
    return kits


def _state_weights(kit: KitSpec, open_percent: float | None) -> list[float]:
    weights = [STATE_WEIGHTS[s] for s in kit.states]
    if open_percent is None:
        return weights
    is_open = [s in OPEN for s in kit.states]
    open_total = sum(w for w, o in zip(weights, is_open) if o)
    other_total = sum(w for w, o in zip(weights, is_open) if not o)
    share = open_percent / 100
    return [w * share / open_total if o else w * (1 - share) / other_total for w, o in zip(weights, is_open)]


def _draws(options: SeedOptions, kits: list[KitSpec]) -> Iterator[list[tuple]]:
    """Pass one's random draws, from the run's one stream, in chunks: (kit, state, seed, u, v, minute)."""
    rng = random.Random(options.seed)
    count = options.complaints
    combos = [(k, STATES.index(s)) for k, kit in enumerate(kits) for s in kit.states]  # every state appears
    forced = dict(zip(rng.sample(range(count), min(count, len(combos))), rng.sample(combos, len(combos))))
    council_weights = [COUNCIL_WEIGHTS.get(kit.slug, 20) for kit in kits]
    state_weights = [_state_weights(kit, options.open_percent) for kit in kits]
    state_index = [[STATES.index(s) for s in kit.states] for kit in kits]
    kit_range = range(len(kits))
    chunk = []
    for index in range(count):
        k = rng.choices(kit_range, council_weights)[0]
        state = rng.choices(state_index[k], state_weights[k])[0]
        case_seed, u, v, minute = rng.getrandbits(62), rng.random(), rng.random(), rng.randrange(7 * 60, 22 * 60)
        k, state = forced.get(index, (k, state))
        chunk.append((k, state, case_seed, u, v, minute))
        if len(chunk) == options.batch_size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _plan(options: SeedOptions, kits: list[KitSpec], tellers: Tellers):
    """Pass one: council, target state, story seed and receipt of every case; and the writing order."""
    kit_of, state_of, seeds, stamps = array("b"), array("b"), array("q"), array("q")

    def remembered(chunks):
        for chunk in chunks:
            for k, _, case_seed, _, _, _ in chunk:
                kit_of.append(k), seeds.append(case_seed)
            yield chunk

    for placed in tellers.place(remembered(_draws(options, kits))):
        for stamp, state in placed:
            stamps.append(stamp), state_of.append(state)
    order = sorted(range(options.complaints), key=lambda i: (kit_of[i] << 40) + stamps[i])  # stable
    return order, kit_of, state_of, seeds, stamps


def _cases(options: SeedOptions, kits: list[KitSpec], plan, next_sequence: list[int]) -> Iterator[list[tuple]]:
    """Pass two's chunks, in writing order: (kit, state, seed, receipt, sequence)."""
    order, kit_of, state_of, seeds, stamps = plan
    for start in range(0, len(order), options.batch_size):
        chunk = []
        for i in order[start:start + options.batch_size]:
            k = kit_of[i]
            chunk.append((k, state_of[i], seeds[i], stamps[i], next_sequence[k]))
            next_sequence[k] += 1
        yield chunk


def _writer(options: SeedOptions) -> Writer:
    kind = options.writer or ("copy" if connection.vendor == "postgresql" else "orm")
    if kind == "copy":
        if connection.vendor != "postgresql":
            raise SeedingRefused("the copy writer needs PostgreSQL")
        return CopyWriter()
    return OrmWriter(options.batch_size)


def _workers(options: SeedOptions) -> int:
    if options.workers is not None:
        return options.workers
    return min(os.cpu_count() or 1, 4) if options.complaints >= PARALLEL_FROM else 0


def _deferring(options: SeedOptions, shapes: Shapes) -> DeferredIndexes | None:
    if connection.vendor != "postgresql":
        return None
    wanted = options.defer_indexes
    if wanted is None:
        wanted = options.complaints >= DEFER_INDEXES_FROM and not Complaint.objects.all()[
            options.complaints:options.complaints + 1].exists()
    if not wanted:
        return None
    return DeferredIndexes([table.shape.table for table in shapes.tables] + [shapes.feedback.table])


def seed_demo(options: SeedOptions, progress=None) -> SeedReport:
    """Write ``options.complaints`` demo cases (and some feedback); see the module docstring."""
    if options.complaints < 1 or options.batch_size < 1:
        raise SeedingRefused("the number of complaints and the batch size must be at least 1")
    if options.workers is not None and options.workers < 0:
        raise SeedingRefused("the number of worker processes must be 0 or more")
    if options.years < 1:
        raise SeedingRefused("the number of years must be at least 1")
    if options.open_percent is not None and not 0 < options.open_percent < 100:
        raise SeedingRefused("the open percentage must be more than 0 and less than 100")
    started = time.perf_counter()
    report = SeedReport(options)
    now = timezone.now()
    shapes = Shapes(now)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
        kits = _kits(options, report)
        report.councils = [kit.slug for kit in kits]
        writer = _writer(options)
        deferred = _deferring(options, shapes)
        if deferred:
            deferred.drop()
        next_sequence = []
        for kit in kits:
            last = Complaint.objects.filter(council_id=kit.council_id).aggregate(last=Max("sequence"))["last"]
            next_sequence.append((last or 0) + 1)
        report.workers = _workers(options)
        with Tellers(kits, options.today, now, report.workers) as tellers:
            plan = _plan(options, kits, tellers)
            report.phases["placing"] = time.perf_counter() - started
            positions = {table.name: shapes.positions(table) for table in shapes.tables}
            done = 0
            for result in tellers.rows(_cases(options, kits, plan, next_sequence)):
                for name, rows in result.rows.items():
                    report.rows[name] += len(rows)
                writer.write_chunk(shapes.tables, positions, result.rows, result.counts)
                report.by_council_state.update(result.by_council_state)
                report.overdue += result.overdue
                done += result.counts["complaint"]
                reset_queries()  # with DEBUG on, the query log would otherwise hold every chunk
                if progress:
                    progress(done, options.complaints)
        _feedback(options, kits, shapes, writer, report)
        from complaints.reports.dashboard_cache import bump_all

        bump_all()  # COPY and bulk_create send no model signals: cached dashboards would not notice the load
        report.phases["telling and writing"] = time.perf_counter() - started - report.phases["placing"]
        if deferred:
            deferred.restore()
            report.phases["indexes and foreign keys"] = deferred.seconds
            analysed = time.perf_counter()
            with connection.cursor() as cursor:  # as autovacuum soon would: the planner sees the new rows
                for table in deferred.tables:
                    cursor.execute(f'ANALYZE "{table}"')
            report.phases["analyze"] = time.perf_counter() - analysed
    report.elapsed = time.perf_counter() - started
    return report


def _feedback(options: SeedOptions, kits: list[KitSpec], shapes: Shapes, writer: Writer,
              report: SeedReport) -> None:
    """Compliments, comments and suggestions, where each council's policy records them."""
    rng = random.Random(f"{options.seed}:feedback")
    offers = [(kit, kind) for kit in kits for kind, flag in FEEDBACK_KINDS
              if getattr(kit.version_on(options.today)[1].feedback, flag)]
    if not offers:
        return
    rows = []
    for _ in range(max(5, options.complaints // 10)):
        kit, kind = rng.choice(offers)
        day = kit.earliest + dt.timedelta(days=rng.randint(0, (options.today - kit.earliest).days))
        area = rng.choice(kit.areas)[0] if rng.random() < 0.7 else None
        named = rng.random() < 0.6
        first, last = rng.choice(words.FIRST_NAMES), rng.choice(words.LAST_NAMES)
        rows.append(shapes.feedback.row({
            "council_id": kit.council_id, "kind": kind, "service_area_id": area,
            "text": rng.choice(words.FEEDBACK[kind]),
            "received_at": dt.datetime.combine(day, dt.time(rng.randint(7, 21), rng.randint(0, 59)), LONDON),
            "name": f"{first} {last}" if named else "",
            "email": f"{first}.{last.replace(chr(39), '')}@example.org".lower() if named else ""}))
    for start in range(0, len(rows), 50_000):
        writer.write_chunk([shapes.feedback_table], {"feedback": []}, {"feedback": rows[start:start + 50_000]}, {})
    report.rows["feedback"] += len(rows)
