"""Benchmark: a commissioner's brief for a service-year of 5,000 cases against WeasyPrint alone on the same HTML.

Run with `make bench`. The target is a ratio of 1.3 or less: assembling the figures (SQL aggregates, the
disclosure rule and its linear-programming audit, the decisions' effects) and drawing the HTML should add no
more than 30% to the time WeasyPrint takes to lay the brief out. Prints times and the ratio measured in this
run; no fixed thresholds.
"""
from __future__ import annotations

import io
import random
import time
from datetime import date, datetime, time as clock_time, timedelta

from pypdf import PdfReader
from sqlalchemy import func, insert, select

from ecotool.auth.operations import create_person
from ecotool.capture.models import Case, ContactAttempt, Observation
from ecotool.db import db
from ecotool.decisions.operations import record_decision
from ecotool.framework.queries import current_version
from ecotool.pdf import render_pdf
from ecotool.reports import brief, render
from ecotool.services.operations import create_service

from setup import bench_app  # noqa: E402  (bench/ is on sys.path when run as a script)

CASES, RUNS = 5000, 5
END = date.today() - timedelta(days=1)
START = END - timedelta(days=364)
OUTCOMES = ("reached", "no answer", "message left", "reached", "someone else answered")


def _year(service, person, version) -> None:
    """5,000 cases referred over the year before START's end, 0 to 5 contact attempts each, 400 observations."""
    rng = random.Random(7)
    pathways = [p.id for p in service.pathways]
    rows = [{"service_id": service.id, "reference": f"BN-{i:05d}", "imd_quintile": rng.choice([1, 1, 2, 3, 4, 5, None]),
             "age_band": rng.choice(["under 20", "20-24", "25-29", "30-34", "35+"]), "first_time": "yes",
             "language_support": "no", "pathway_id": rng.choice(pathways),
             "referral_date": START - timedelta(days=365) + timedelta(days=rng.randrange(730)),
             "journey_stage": "first-days", "supporter_id": person.id, "status": "open"}
            for i in range(CASES * 2)]  # the previous year too, so both periods are full
    db.session.execute(insert(Case), rows)
    cases = db.session.execute(select(Case.id, Case.referral_date)).all()
    attempts = [{"case_id": case_id, "at": datetime.combine(referred + timedelta(days=k + 1), clock_time(11)),
                 "channel": "phone", "outcome": rng.choice(OUTCOMES), "by_id": person.id}
                for case_id, referred in cases for k in range(rng.randrange(6))]
    db.session.execute(insert(ContactAttempt), attempts)
    domains = [d.id for d in version.domains]
    observations = [{"service_id": service.id, "case_id": rng.choice(cases)[0], "framework_version_id": version.id,
                     "domain_id": rng.choice(domains), "kind": rng.choice(["barrier", "barrier", "enabler"]),
                     "source": "call", "text": "The phone rang out again.", "shareable": rng.random() < 0.2,
                     "author_id": person.id, "observed_on": START + timedelta(days=rng.randrange(365))}
                    for _ in range(400)]
    db.session.execute(insert(Observation), observations)
    for n in range(3):
        record_decision(db.session, person.id, service, title=f"Decision {n + 1}", rationale="Bench.",
                        response_type="change-contact-timing", target_group="all-women",
                        domain_ids=[domains[n]], start_date=START + timedelta(days=90 * (n + 1)), status="in effect")
    db.session.commit()


def _best(*runs) -> list[float]:
    """The best of RUNS wall-clock times of each of `runs`, in seconds, taken in turn so that a slow spell of
    the machine falls on all of them alike."""
    best = [float("inf")] * len(runs)
    for _ in range(RUNS):
        for i, run in enumerate(runs):
            db.session.expire_all()
            started = time.perf_counter()
            run()
            best[i] = min(best[i], time.perf_counter() - started)
    return best


def main() -> None:
    with bench_app():
        service = create_service(db.session, None, "bench", "Bench service")
        person, _ = create_person(db.session, None, "b@example.org", "supervisor", ["bench"], "B", None, "x" * 12)
        _year(service, person, current_version(db.session))
        counted = db.session.scalar(select(func.count()).select_from(Case).where(Case.referral_date >= START))
        html = render.html(brief.assemble(db.session, service, START, END), END)
        assembly, weasyprint, whole = _best(
            lambda: brief.assemble(db.session, service, START, END),
            lambda: render_pdf(html),
            lambda: render.pdf(brief.assemble(db.session, service, START, END), END))
        pages = len(PdfReader(io.BytesIO(render_pdf(html))).pages)
        print(f"{counted} cases referred in the year ({CASES * 2} over two), brief of {pages} pages")
        print(f"assembly alone (SQL, disclosure, effects)  {assembly * 1000:8.0f} ms")
        print(f"baseline: WeasyPrint alone on the HTML      {weasyprint * 1000:8.0f} ms")
        print(f"whole brief: assemble, HTML, PDF            {whole * 1000:8.0f} ms")
        print(f"ratio whole / WeasyPrint alone: {whole / weasyprint:.2f} (target 1.30 or less)")


if __name__ == "__main__":
    main()
