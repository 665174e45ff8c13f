"""Benchmark: the caseload's one aggregate query against a baseline of one query per case.

Run with `make bench`. Prints times and the ratio measured in this run; no fixed thresholds.
"""
from __future__ import annotations

import random
import time
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from ecotool.capture.queries import visible_cases
from ecotool.auth.operations import create_person
from ecotool.capture import operations, queries
from ecotool.capture.models import Case, ContactAttempt
from ecotool.db import db
from ecotool.services.operations import create_service

from setup import bench_app  # noqa: E402  (bench/ is on sys.path when run as a script)

CASES, ATTEMPTS = 600, 6


def baseline(session, cases) -> list[tuple]:
    """What a page would do without the aggregate: several small queries per case."""
    out = []
    for case in session.scalars(cases.where(Case.status == "open")):
        attempts = session.scalars(select(ContactAttempt).where(ContactAttempt.case_id == case.id)
                                   .order_by(ContactAttempt.at)).all()
        reached = [a for a in attempts if a.outcome == "reached"]
        out.append((case.id, len(attempts), len(reached), attempts[-1].outcome if attempts else None))
    return out


def main() -> None:
    with bench_app():
        service = create_service(db.session, None, "bench", "Bench service")
        person, _ = create_person(db.session, None, "b@example.org", "peer_supporter", ["bench"], "B", None, "x" * 12)
        rng = random.Random(1)
        for _ in range(CASES):
            case = operations.create_case(
                db.session, person.id, service, imd_quintile=rng.randint(1, 5), age_band="20-24",
                first_time="yes", language_support="no", pathway_id=None,
                referral_date=date.today() - timedelta(days=60), journey_stage="antenatal", supporter_id=person.id)
            for k in range(rng.randint(0, ATTEMPTS)):
                operations.log_contact_attempt(db.session, person.id, case,
                                               at=datetime.utcnow() - timedelta(days=50 - k),
                                               channel="phone", outcome=rng.choice(["reached", "no answer"]))
        db.session.commit()
        total = db.session.scalar(select(func.count()).select_from(ContactAttempt))
        timings = {}
        for name, run in (("baseline (queries per case)", lambda: baseline(db.session, visible_cases(person))),
                          ("caseload (one aggregate query)", lambda: queries.caseload(
                              db.session, visible_cases(person),
                              per_page=CASES)[0])):
            best = float("inf")
            for _ in range(5):
                db.session.expire_all()
                start = time.perf_counter()
                rows = run()
                best = min(best, time.perf_counter() - start)
            timings[name] = best
            print(f"{name:34s} {best * 1000:8.1f} ms for {len(rows)} cases, {total} attempts")
        base, ours = timings.values()
        print(f"ratio baseline / caseload: {base / ours:.1f}x")


if __name__ == "__main__":
    main()
