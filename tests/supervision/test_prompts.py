"""Prompts: in four steps, the same for the same data, each figure with its population, rotating over sessions."""
from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from ecotool.clock import format_day
from ecotool.supervision import indicators, prompts
from ecotool.supervision.indicators import Holder
from ecotool.vocab import Level, PromptOrigin
from tests.supervision.conftest import E, S

PERIOD = f"from {format_day(S)} to {format_day(E)}"


def _inputs(session, caseload, holder=Holder(), who="p"):
    person = caseload[who]
    figures = indicators.compute(session, caseload["service"], [person.id], S, E, holder)
    rows = indicators.barrier_rows(session, caseload["service"], [person.id], S, E)
    return [prompts.Supervisee(person.id, person.display_name, figures)], prompts.BarrierDomain.from_rows(rows)


def _shape(drafts):
    return [(d.origin, d.domain.code, d.text) for d in drafts]


def test_prompts_come_in_four_steps_and_are_the_same_for_the_same_data(session, caseload, framework):
    people, barriers = _inputs(session, caseload)
    drafts = prompts.build(framework, people, barriers)
    assert _shape(drafts) == _shape(prompts.build(framework, *_inputs(session, caseload)))
    origins = [d.origin for d in drafts]
    assert origins == sorted(origins, key=[PromptOrigin.TRIGGER, PromptOrigin.OBSERVED, PromptOrigin.LEVEL,
                                           PromptOrigin.ROTATION].index)
    # Worked out from the figures in test_indicators.py against the shipped triggers, in the file's order.
    fired = [(d.figures["indicator"], d.figures["threshold"]) for d in drafts if d.origin == PromptOrigin.TRIGGER]
    assert fired == [("unreached_share", 0.25), ("target_unreached_share", 0.3), ("target_unreached_share", 0.5),
                     ("early_gap_share", 0.25), ("target_reached_share", 0.6), ("target_engaged_share", 0.4),
                     ("other_engaged_share", 0.4), ("quiet_cases", 3), ("recurring_barrier_domains", 1)]
    first = drafts[0].text
    assert first.startswith(f"3 of the 8 cases you held {PERIOD} have not yet been reached (38%).")
    quiet = next(d for d in drafts if d.figures.get("indicator") == "quiet_cases")
    assert quiet.text.startswith(f"5 of the 7 cases you had open on {format_day(E)} have had no contact attempt")
    observed = [d for d in drafts if d.origin == PromptOrigin.OBSERVED]
    assert [d.domain.code for d in observed] == ["micro.contactability", "meso.groups-and-venues",
                                                 "macro.funding-levels"]
    contact = observed[0]
    assert contact.figures["distinct_cases"] == 3 and contact.figures["times"] == 4
    assert contact.text == contact.domain.prompts_for("supervision")[0]
    assert contact.follow_ups == contact.domain.prompts_for("supervision")[1:] and contact.follow_ups
    assert "time(s)" not in " ".join(d.text + str(d.figures) for d in drafts)
    # Every level was observed, so no level prompt; all three are covered, so one domain rotates in.
    assert PromptOrigin.LEVEL not in origins and origins.count(PromptOrigin.ROTATION) == 1
    assert {d.domain.level for d in drafts} == set(Level)


def test_no_prompt_shows_a_bare_number(session, caseload, framework):
    """Each figure in a triggered prompt comes with the words for what it counts."""
    people, barriers = _inputs(session, caseload)
    for draft in prompts.triggered(framework, people):
        assert draft.figures["of"] in draft.text, draft.text


def test_a_group_session_says_whose_figures_raise_each_prompt(session, caseload, framework):
    p, q = caseload["p"], caseload["q"]
    people = [prompts.Supervisee(x.id, x.display_name, indicators.compute(
        session, caseload["service"], [x.id], S, E, Holder.named(x.display_name))) for x in (p, q)]
    drafts = prompts.triggered(framework, people)
    assert {d.supervisee_id for d in drafts} == {p.id, q.id}
    for draft in drafts:
        name = p.display_name if draft.supervisee_id == p.id else q.display_name
        assert draft.figures["supervisee"] == name
        assert name in draft.text
    # q holds one case (K) in the period: never reached, so 1 of 1 and her own total, not a sum with p's.
    q_unreached = next(d for d in drafts if d.supervisee_id == q.id and d.figures["indicator"] == "unreached_share")
    assert q_unreached.text.startswith(f"1 of the 1 cases {q.display_name} held {PERIOD}")


def test_a_level_with_nothing_observed_gets_its_own_prompt(session, caseload, framework):
    """Without the framework's level triggers, step 3 asks about each silent level: q observed nothing macro."""
    people, barriers = _inputs(session, caseload, who="q")
    bare = SimpleNamespace(triggers=[], domains=framework.domains)
    drafts = prompts.build(bare, people, barriers)
    levels = [d.domain.level for d in drafts if d.origin == PromptOrigin.LEVEL]
    assert levels == ["macro"]
    # With the shipped triggers, the macro trigger asks instead and step 3 adds nothing.
    shipped = prompts.build(framework, people, barriers)
    assert any(d.figures.get("indicator") == "macro_observations" for d in shipped)
    assert not [d for d in shipped if d.origin == PromptOrigin.LEVEL]


def test_successive_sessions_rotate_through_the_levels_and_new_domains(session, caseload, framework):
    people, barriers = _inputs(session, caseload)
    recent: list[prompts.Discussed] = []
    rotated = []
    for n in range(3):
        held_on = E + timedelta(days=7 * n)
        drafts = prompts.build(framework, people, barriers, recent)
        rotation = [d for d in drafts if d.origin == PromptOrigin.ROTATION]
        assert len(rotation) == 1
        assert rotation[0].domain.code not in {r.code for r in recent}
        rotated.append(rotation[0].domain)
        recent += [prompts.Discussed(d.domain.code, d.domain.level, held_on, d.origin) for d in drafts]
    assert {d.level for d in rotated} == set(Level)
    assert len({d.code for d in rotated}) == 3
