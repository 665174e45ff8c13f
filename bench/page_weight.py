"""Benchmark: HTML + CSS weight of each capture page, as a share of the 60 KB phone budget.

The baseline is the budget itself; each page is printed as a ratio of it. Run with `make bench`.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta


from ecotool.auth.operations import create_person
from ecotool.capture import operations
from ecotool.config import PROJECT_ROOT
from ecotool.db import db
from ecotool.services.operations import create_service

from setup import bench_app  # noqa: E402  (bench/ is on sys.path when run as a script)

BUDGET = 60 * 1024


def main() -> None:
    css = (PROJECT_ROOT / "static" / "app.css").stat().st_size
    with bench_app(WTF_CSRF_ENABLED=False) as app:
        service = create_service(db.session, None, "bench", "Bench Breastfeeding Peer Support")
        person, _ = create_person(db.session, None, "b@example.org", "peer_supporter", ["bench"], "B", None,
                                  "password-123")
        cases = [operations.create_case(
            db.session, person.id, service, imd_quintile=1, age_band="20-24", first_time="yes",
            language_support="no", pathway_id=service.pathways[0].id, referral_date=date.today() - timedelta(days=9),
            journey_stage="antenatal", supporter_id=person.id) for _ in range(40)]
        for k in range(12):
            operations.log_contact_attempt(db.session, person.id, cases[0],
                                           at=datetime.utcnow() - timedelta(days=k + 1), channel="phone",
                                           outcome="no answer")
        db.session.commit()
        client = app.test_client()
        client.post("/login", data={"email": "b@example.org", "password": "password-123"})
        c, s = cases[0].id, service.id
        print(f"{'page':42s} {'HTML+CSS':>9s} {'of 60 KB':>9s}")
        for path in ["/cases", "/cases/new", f"/cases/{c}", f"/cases/{c}/contact", f"/cases/{c}/observe",
                     f"/cases/{c}/observe?level=macro", f"/cases/{c}/observe?level=meso",
                     f"/cases/{c}/observe?level=micro", f"/services/{s}/observe?level=macro",
                     f"/services/{s}/observations"]:
            weight = len(client.get(path).data) + css
            print(f"{path:42s} {weight / 1024:8.1f}K {weight / BUDGET:9.2f}")


if __name__ == "__main__":
    main()
