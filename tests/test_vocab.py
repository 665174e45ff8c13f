"""The word lists: each CHECK constraint in the migrated database holds exactly one vocabulary's words."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import CheckConstraint, text
from sqlalchemy.exc import IntegrityError

from ecotool.db import db
from ecotool.vocab import FAILED_OUTCOMES, VOCABULARIES, Channel, Level, Outcome, Source

IN_LIST = re.compile(r"^\(?(\w+) IN \((.*)\)\)?$", re.S)
WORD = re.compile(r"'((?:[^']|'')*)'")


def _model_word_checks() -> dict[str, tuple[str, set[str]]]:
    """Name -> (column, words) of every word-list CHECK the models declare."""
    checks = {}
    for table in db.metadata.sorted_tables:
        for constraint in table.constraints:
            if isinstance(constraint, CheckConstraint):
                match = IN_LIST.match(str(constraint.sqltext))
                if match:
                    checks[constraint.name] = (match.group(1), set(WORD.findall(match.group(2))))
    return checks


def _database_checks(session) -> dict[str, str]:
    """Name -> SQL text of every CHECK constraint in the migrated database."""
    if db.engine.dialect.name == "postgresql":
        rows = session.execute(text("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'c'"))
        return dict(rows.all())
    found = {}
    for (sql,) in session.execute(text("SELECT sql FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL")):
        for name, body in re.findall(r"CONSTRAINT (\w+) CHECK \((.*?)\)(?:,|\s*\n\s*\))", sql, re.S):
            found[name] = body
    return found


def test_every_word_check_comes_from_a_vocabulary_and_the_database_holds_the_same_words(session):
    declared = _model_word_checks()
    assert len(declared) >= 14
    vocabularies = {frozenset(v.values()): v.__name__ for v in VOCABULARIES}
    in_database = _database_checks(session)
    for name, (column, words) in declared.items():
        assert frozenset(words) in vocabularies, f"{name}: {sorted(words)} is no vocabulary's word list"
        assert name in in_database, f"{name} is missing from the migrated database"
        stored = set(WORD.findall(in_database[name]))
        assert stored == words, f"{name}: the database allows {sorted(stored)}, {vocabularies[frozenset(words)]} has {sorted(words)}"


def test_the_database_refuses_a_word_outside_the_vocabulary(session, team):
    with pytest.raises(IntegrityError):
        session.execute(text("UPDATE person SET role = 'boss' WHERE id = :id"), {"id": team["supporter"].id})
        session.flush()
    session.rollback()


def test_failed_outcomes_are_outcomes_and_exclude_answers():
    assert FAILED_OUTCOMES < set(Outcome)
    assert Outcome.REACHED not in FAILED_OUTCOMES
    # Postponing or declining is her answer: it ends a run of failures.
    assert not Outcome.POSTPONED.failed and not Outcome.DECLINED.failed and Outcome.NO_ANSWER.failed


def test_a_note_from_a_visit_is_a_visit_a_text_a_text_and_from_a_call_a_call():
    assert [Source.of_channel(c) for c in Channel] == [
        Source.CALL, Source.TEXT, Source.VISIT, Source.VISIT, Source.VISIT, Source.VISIT, Source.ONLINE_MESSAGE]


def test_levels_closest_to_the_mother_first():
    assert Level.closest_first() == (Level.MICRO, Level.MESO, Level.MACRO)
