"""Benchmark: the privacy guard's accuracy on tests/privacy_corpus/ and its time on long text.

Run with `make bench`. Prints, for the guard and for the maintained packages it was chosen against,
the false-refusal rate, the share of identifiers refused and the share of names warned about; then
the guard's time on 2,000 characters against 4,000 (a ratio near 2 means time grows with the text).
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import phonenumbers
import uk_postcodes_parsing

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ecotool import privacy  # noqa: E402
from tests.privacy_corpus import corpus  # noqa: E402

NOTE = ("Tried her 3 times in a row, then the 42 bus: 40 minutes each way, £2.50 a trip. Baby is 6 weeks, "
        "ward 7 was busy; Sarah's mum will help on Tues at 10.30. ")


def _guard(text: str) -> list[str]:
    return [f.kind for f in privacy.problems(text)]


def _old_phone_matcher(text: str) -> list[str]:
    return ["phone" for m in phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.POSSIBLE)
            if sum(ch.isdigit() for ch in m.raw_string) >= 10]


def _postcode_package(text: str) -> list[str]:
    return ["postcode" for _ in uk_postcodes_parsing.parse_from_corpus(text, attempt_fix=False)]


def _pyap(text: str) -> list[str]:
    import pyap

    return ["address" for _ in pyap.parse(text, country="GB")]


def _listed_first_names(text: str) -> list[str]:
    detector = privacy._names()
    return [w for w in privacy.WORD.findall(text) if w[0].isupper() and detector.get_gender(w) != "unknown"]


def _row(label: str, result: corpus.Score) -> str:
    names = f"{result.names_warned:6.1%}" if result.names else "     -"
    warned = f"{result.false_warning_rate:6.1%}" if result.names else "     -"
    return (f"| {label} | {result.false_refusal_rate:6.1%} ({len(result.false_refusals)} of {result.clean} notes) | "
            f"{result.identifiers_refused:6.1%} of {result.identifiers} | {names} | {warned} |")


def accuracy() -> None:
    """Print each detector's scores on the corpus."""
    print("| detector | false refusals | identifiers refused | names warned | clean notes warned |")
    print("|---|---|---|---|---|")
    print(_row("ecotool guard (all detectors)", corpus.score(_guard, privacy.possible_names)))
    for kind in ("postcode", "phone", "email", "nhs_number", "date_of_birth", "address", "handle"):
        print(_row(f"  ecotool: {kind}", corpus.score(lambda t, k=kind: [x for x in _guard(t) if x == k], kinds=(kind,))))
    print(_row("phonenumbers PhoneNumberMatcher (POSSIBLE, 10+ digits)", corpus.score(_old_phone_matcher, kinds=("phone",))))
    print(_row("uk-postcodes-parsing parse_from_corpus", corpus.score(_postcode_package, kinds=("postcode",))))
    try:
        print(_row("pyap (country GB)", corpus.score(_pyap, kinds=("address",))))
    except ImportError:
        print("| pyap (country GB) | not installed (`pip install pyap`) | | | |")
    print(_row("gender-guesser list alone, capitalised words", corpus.score(lambda t: [], _listed_first_names)))


def _best(text: str, repeat: int = 7) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        privacy.problems(text)
        privacy.possible_names(text)
        best = min(best, time.perf_counter() - start)
    return best


def speed() -> None:
    """Print the guard's time on 2,000 and 4,000 characters of notes and of hostile text."""
    _best("warm up the name lists")
    print("\n| text | 2,000 chars | 4,000 chars | ratio |")
    print("|---|---|---|---|")
    for label, unit in (("supporters' notes", NOTE), ("digits and spaces", "0 "), ("letters and dots", "a."),
                        ("'x at y dot '", "x at y dot "), ("capitalised words", "Mrs Sarah ")):
        short, long = ((unit * (n // len(unit) + 1))[:n] for n in (2000, 4000))
        a, b = _best(short), _best(long)
        print(f"| {label} | {a * 1000:.2f} ms | {b * 1000:.2f} ms | {b / a:.2f} |")
    huge = NOTE * (1_000_000 // len(NOTE))
    print(f"\nA 1 MB note: {_best(huge, 3) * 1000:.1f} ms (the guard reads the first {privacy.MAX_TEXT:,} characters; "
          "forms refuse anything over their limit before it runs).")
    start = time.perf_counter()
    _old_phone_matcher(NOTE * (20_000 // len(NOTE)))
    print(f"For comparison, PhoneNumberMatcher alone on 20,000 characters: {(time.perf_counter() - start) * 1000:.0f} ms.")


if __name__ == "__main__":
    accuracy()
    speed()
