"""A caseload built by hand for the supervision tests, with every figure worked out by hand in test_indicators.py.

The service counts a woman as engaged at 2 reached contacts and stuck at 2 failed attempts in a row (not the
default 3), so a figure that used the defaults would be caught. The period is S = today - 40 to E = today - 10;
every attempt is at noon, so no time zone moves one across a day.

The supervisee's cases (target: quintile 1 or under 20):
  A  q1  referred S-30  reached S-25, S+5, S+20                       engaged (3)
  B  q1  referred S+2   no answer S+3, someone else S+5, no answer S+8 stuck (3 in a row), never reached
  C  q4, under 20, language support, referred S+10, no attempt         never reached
  D  q5  referred S-5   reached S+1, declined S+20                     reached, not engaged, declined
  F  q3  referred S-60, reached S-50, closed S-1                       not held (closed before the period)
  G  q2  referred S-20  no answer S+2, reached S+4, closed S+15        held, not open at the end
  H  q1  referred E+3   reached E+4                                    not held (referred after the period)
  I  q1  referred S-3   reached E+2                                    never reached by E; gap in first 14 days
  J  q1  referred S-16  reached S-15, S+10                             engaged; first 14 days ended before S
  L  q1  referred S+4   reached S+10                                   reached in its first 14 days
  M  q1  referred S-10, never tried, closed S-5                        not held, though its first 14 days end in P
The other supporter's case K (q1, referred S+1, no answer S+2) never counts for the supervisee.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from ecotool.clock import to_utc

TODAY = date.today()
S, E = TODAY - timedelta(days=40), TODAY - timedelta(days=10)


def noon(day: date) -> datetime:
    return to_utc(datetime.combine(day, time(12, 0)))


@pytest.fixture
def caseload(session, make_service, make_person, make_case, make_attempt, make_observation):
    service = make_service("hb", "Hand-built service", engaged_threshold=2, failed_attempt_threshold=2)
    supervisor = make_person("supervisor", service)
    p = make_person("peer_supporter", service, supervisor)
    q = make_person("peer_supporter", service, supervisor)

    def case(quintile, referred, attempts=(), **extra):
        made = make_case(service, p if "holder" not in extra else extra.pop("holder"), quintile=quintile,
                         referral_date=referred, **extra)
        for outcome, day in attempts:
            make_attempt(made, outcome, at=noon(day))
        return made

    d = timedelta
    cases = {
        "A": case(1, S - d(30), [("reached", S - d(25)), ("reached", S + d(5)), ("reached", S + d(20))]),
        "B": case(1, S + d(2), [("no answer", S + d(3)), ("someone else answered", S + d(5)),
                                ("no answer", S + d(8))]),
        "C": case(4, S + d(10), age_band="under 20", language="yes"),
        "D": case(5, S - d(5), [("reached", S + d(1)), ("declined", S + d(20))]),
        "F": case(3, S - d(60), [("reached", S - d(50))]),
        "G": case(2, S - d(20), [("no answer", S + d(2)), ("reached", S + d(4))]),
        "H": case(1, E + d(3), [("reached", E + d(4))]),
        "I": case(1, S - d(3), [("reached", E + d(2))]),
        "J": case(1, S - d(16), [("reached", S - d(15)), ("reached", S + d(10))]),
        "L": case(1, S + d(4), [("reached", S + d(10))]),
        "K": case(1, S + d(1), [("no answer", S + d(2))], holder=q),
        "M": case(1, S - d(10)),
    }
    for letter, closed_on in (("F", S - d(1)), ("G", S + d(15)), ("M", S - d(5))):
        cases[letter].status, cases[letter].closed_on = "closed", closed_on
    session.commit()

    # Observations: contactability recorded as a barrier on A, B (twice) and C in the period, so it recurs
    # in 3 distinct cases; an enabler on D; a meso barrier on G written by the supervisor; the supervisee's
    # macro note about the service. Outside her work or the period: A before S, K's, and q's service note.
    observe = make_observation
    observe(service, p, case=cases["A"], observed_on=S + d(5))
    observe(service, p, case=cases["B"], observed_on=S + d(6))
    observe(service, p, case=cases["B"], observed_on=S + d(7), text="Rang out again at tea time.")
    observe(service, p, case=cases["C"], observed_on=S + d(12))
    observe(service, p, case=cases["D"], kind="enabler", domain="micro.family-feeding-attitudes",
            observed_on=S + d(2), text="Her mother is keen to help.")
    observe(service, supervisor, case=cases["G"], domain="meso.groups-and-venues", observed_on=S + d(3),
            text="The group clashes with the school run.")
    observe(service, p, domain="macro.funding-levels", observed_on=S + d(9), text="No money for interpreters.")
    observe(service, p, case=cases["A"], observed_on=S - d(2))
    observe(service, q, case=cases["K"], observed_on=S + d(5))
    observe(service, q, domain="meso.groups-and-venues", observed_on=S + d(9), text="The hall moved.")
    return {"service": service, "p": p, "q": q, "supervisor": supervisor, "cases": cases}


