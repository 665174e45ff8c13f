"""Demo data loads once, a second load changes nothing, its observations spread over the past year, the last
four weeks raise every supervision prompt, and its decisions show both a clear verdict and too few cases."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from ecotool import demo
from ecotool.audit import AuditEvent
from ecotool.auth.models import Person
from ecotool.capture.models import Case, ContactAttempt, Observation
from ecotool.clock import local_today, to_local, utcnow
from ecotool.decisions import effect
from ecotool.decisions.models import Decision
from ecotool.demo import AMINA, JO, PAST_SESSIONS, RECENT, SLUG, load_demo
from ecotool.framework.queries import current_version
from ecotool.privacy import possible_names, problems
from ecotool.reports.brief import assemble
from ecotool.services.models import Pathway, Service
from ecotool.services.queries import get_service
from ecotool.supervision import queries
from ecotool.supervision.indicators import barrier_rows, compute, recurring_codes
from ecotool.supervision.models import SessionPrompt, SupervisionSession
from ecotool.supervision.prompts import Supervisee, triggered
from ecotool.vocab import DecisionStatus, Indicator, Role
from tests.conftest import row_counts

MODELS = (Service, Person, Case, ContactAttempt, Observation, Decision, SupervisionSession, SessionPrompt,
          AuditEvent)


def test_demo_is_idempotent(session):
    load_demo(session, cases=30)
    session.commit()
    first = row_counts(*MODELS)
    assert first["Case"] == 30 + len(RECENT) + demo.STORY_CASES and first["Person"] == 5 and first["Decision"] == 3
    assert first["SupervisionSession"] == len(PAST_SESSIONS) == 3
    lines = load_demo(session, cases=30)
    session.commit()
    assert row_counts(*MODELS) == first
    assert any("demo logins" in line for line in lines)


def test_demo_observations_spread_over_the_year_before_today(session):
    load_demo(session, cases=30)
    session.commit()
    today = local_today()
    rows = session.execute(select(Observation.observed_on, Case.referral_date)
                           .outerjoin(Case, Case.id == Observation.case_id)).all()
    days = [observed_on for observed_on, _ in rows]
    assert max(days) <= today and min(days) >= today - timedelta(days=365)
    assert all(referred is None or observed_on >= referred for observed_on, referred in rows)
    assert session.scalar(select(ContactAttempt.at).order_by(ContactAttempt.at.desc()).limit(1)) <= utcnow()
    assert len({(day.year, (day.month - 1) // 3) for day in days}) >= 4
    # Each note on a case is dated the day of one of its contact attempts.
    attempt_days = {(case_id, to_local(at).date()) for case_id, at in
                    session.execute(select(ContactAttempt.case_id, ContactAttempt.at))}
    on_cases = session.execute(select(Observation.case_id, Observation.observed_on)
                               .where(Observation.case_id.is_not(None))).all()
    assert on_cases and all((case_id, day) in attempt_days for case_id, day in on_cases)
    assert session.scalars(select(Observation.journey_stage).where(Observation.case_id.is_(None))).all() == [None] * 4
    # So the last full quarter's brief has barriers, and four weeks of supervision see fewer than a year.
    service = get_service(session, SLUG)
    end = date(today.year, (today.month - 1) // 3 * 3 + 1, 1) - timedelta(days=1)
    start = date(end.year, (end.month - 1) // 3 * 3 + 1, 1)
    assert any(key.endswith(".barrier") for key in assemble(session, service, start, end)["raw"]["context"]["by_level"])
    supporters = list(session.scalars(select(Person.id).where(Person.role == Role.PEER_SUPPORTER)))

    def barriers(days):
        return compute(session, service, supporters, today - timedelta(days=days - 1), today)["barrier_observations"]

    assert barriers(28).value < barriers(365).value


def _person(session, email: str) -> Person:
    return session.scalar(select(Person).where(Person.email == email))


def test_the_last_four_weeks_raise_every_trigger_and_barriers_recur(session):
    load_demo(session)
    session.commit()
    service, version = get_service(session, SLUG), current_version(session)
    today = local_today()
    start = today - timedelta(days=28)  # the supervisor's default period
    fired, figures = set(), {}
    for email in (AMINA, JO):
        person = _person(session, email)
        figures[email] = compute(session, service, [person.id], start, today)
        drafts = triggered(version, [Supervisee(person.id, person.display_name, figures[email])])
        fired |= {(d.figures["indicator"], d.figures["op"], d.figures["threshold"]) for d in drafts}
    every = {(t.indicator, t.op, t.value) for t in version.triggers}
    assert len(every) == len(version.triggers) == 22
    assert every - fired == set()
    # The contradictory ones come from different supervisees: Jo wrote nothing, Amina's barriers recur.
    assert figures[JO][Indicator.BARRIER_OBSERVATIONS].count == 0
    assert figures[AMINA][Indicator.RECURRING_BARRIER_DOMAINS].count >= 1
    assert "micro.language-and-culture" in recurring_codes(
        barrier_rows(session, service, [_person(session, AMINA).id], start, today))
    across_service = recurring_codes(barrier_rows(session, service, None, today - timedelta(days=89), today))
    assert len(across_service) >= 2
    assert {"micro.language-and-culture", "micro.transport-and-distance"} <= set(across_service)


def test_amina_has_three_closed_sessions_that_cover_every_level(session):
    load_demo(session)
    session.commit()
    today = local_today()
    records = queries.sessions_attended(session, _person(session, AMINA))
    assert [r.held_on for r in records] == [today - timedelta(days=days) for days in (28, 56, 84)]
    assert all(r.is_closed and r.agreed and r.period_end == r.held_on for r in records)
    assert all(r.period_start == r.held_on - timedelta(days=28) for r in records)
    assert {p.domain.level for r in records for p in r.prompts} >= {"macro", "meso", "micro"}
    notes = [p for r in records for p in r.prompts if p.note]
    assert notes and any(p.shared for p in notes) and not all(p.shared for p in notes)
    assert sum(1 for r in records for p in r.prompts if not p.note) > len(notes)
    assert queries.sessions_attended(session, _person(session, JO)) == []


def test_the_hand_written_words_name_no_one():
    texts = [note[2] for case in RECENT for *_, note in case.attempts if note]
    texts += [text for _, notes, agreed in PAST_SESSIONS for text in (agreed, *(n for n, _ in notes.values()))]
    assert len(texts) > 20
    assert [(text, problems(text), possible_names(text)) for text in texts
            if problems(text) or possible_names(text)] == []


def test_the_decisions_tell_the_studies_story(session):
    load_demo(session)
    session.commit()
    today = local_today()
    decisions = {d.title: d for d in session.scalars(select(Decision))}
    assert set(decisions) == {"Text first, then call in the early evening", "Text every mother at 2-3 weeks",
                              "Meet young mothers at the college, not the clinic"}
    # A text at 2-3 weeks for every mother: engagement rose far more for other women than for target women.
    text = decisions["Text every mother at 2-3 weeks"]
    assert text.pathway.name == demo.TEXT_PATHWAY and not text.pathway_only
    assert text.status == DecisionStatus.IN_EFFECT and text.review_due(today)
    assert [(c.status, to_local(c.changed_at).date()) for c in text.changes] == [
        (DecisionStatus.AGREED, text.decided_on), (DecisionStatus.IN_EFFECT, text.start_date)]
    measured = effect.measure(session, text, today)
    assert measured.judged and measured.days == 90 and measured.scope == "every case of the service"
    assert min(measured.cells[g][w]["referred"] for g in effect.GROUPS for w in effect.WINDOWS) >= 60
    difference, (low, high) = measured.differences["engaged"]
    assert difference < 0 and low < high < 0
    assert measured.changes["other"]["engaged"][0] > measured.changes["target"]["engaged"][0] + 0.15
    assert "smaller than other women's" in measured.verdict
    # Meeting young mothers at the college: its pathway has too few women to judge.
    young = decisions["Meet young mothers at the college, not the clinic"]
    assert young.pathway.name == demo.YOUNG_PATHWAY and young.pathway_only
    assert young.status == DecisionStatus.IN_EFFECT and not young.review_due(today)
    small = effect.measure(session, young, today)
    assert not small.judged and small.days == 90 and small.verdict.startswith("Too few cases to judge")
    assert max(small.cells[g][w]["referred"] for g in effect.GROUPS for w in effect.WINDOWS) < 10
    # The first decision is as it was, and no case came in by text before the texts began.
    first = decisions["Text first, then call in the early evening"]
    assert first.status == DecisionStatus.IN_EFFECT and not first.review_due(today)
    assert effect.measure(session, first, today).judged
    assert session.scalar(select(Case.id).join(Pathway, Pathway.id == Case.pathway_id).where(
        Pathway.name == demo.TEXT_PATHWAY, Case.referral_date < text.start_date).limit(1)) is None
