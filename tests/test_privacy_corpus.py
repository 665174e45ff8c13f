"""The privacy guard measured on the corpus in tests/privacy_corpus/ against the targets it must meet."""
from __future__ import annotations

import pytest

from ecotool.privacy import possible_names, problems
from tests.privacy_corpus import corpus


def kinds(text: str) -> list[str]:
    return [f.kind for f in problems(text)]


@pytest.fixture(scope="module")
def score():
    return corpus.score(kinds, possible_names)


def test_the_corpus_is_as_large_as_promised():
    assert len(corpus.clean()) >= 200
    assert len(corpus.identifiers()) >= 60
    assert sum(len(listed) for _, listed in corpus.names()) >= 40
    required = ["DOB 14.3.98.", "dob 3 4 1990", "03041990", "3-Apr-1990", "1990 04 03", "3/Apr/1990", "SW1A.1AA",
                "S W 1 A 1 A A", "07700 9OO 123", "jane.doe at example dot com", "jane.doe (at) example.com",
                "jane.doe @ example.com", "＠"]
    for form in required:
        assert any(form in text for _, text in corpus.identifiers()), form


def test_no_supporter_note_is_refused(score):
    assert score.false_refusals == []
    assert score.false_refusal_rate <= 0.01


def test_every_identifier_is_refused(score):
    assert score.missed == []


def test_identifiers_are_named_for_what_they_are():
    wrong = [(kind, text) for kind, text in corpus.identifiers() if kind not in kinds(text)]
    assert wrong == []


def test_at_least_nine_names_in_ten_are_warned_about(score):
    assert score.names_warned >= 0.9, score.names_missed


def test_few_clean_notes_are_warned_about(score):
    assert score.false_warning_rate <= 0.03, score.false_warnings
