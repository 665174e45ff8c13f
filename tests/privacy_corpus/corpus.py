"""The privacy guard's corpus, read from the text files beside this module, and the guard's scores on it.

Each file holds one example per line: `*clean.txt` notes with nothing to refuse or warn about,
`*identifiers.txt` `kind<TAB>sentence`, `*names.txt` `sentence<TAB>name,name`. The `holdout_` files
were written by someone who had not seen the guard, and were scored before any rule was tuned to them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

HERE = Path(__file__).parent


def _lines(pattern: str) -> list[str]:
    return [line for path in sorted(HERE.glob(pattern)) for line in path.read_text("utf-8").splitlines()
            if line.strip()]


def clean() -> list[str]:
    """Supporters' and supervisors' notes with no identifying detail and no names."""
    return _lines("*clean.txt")


def identifiers() -> list[tuple[str, str]]:
    """(kind, sentence) pairs, each sentence holding one identifying detail."""
    return [tuple(line.split("\t")) for line in _lines("*identifiers.txt")]


def names() -> list[tuple[str, list[str]]]:
    """(sentence, the names in it as written)."""
    return [(text, [n.strip() for n in listed.split(",")]) for text, listed in
            (line.split("\t") for line in _lines("*names.txt"))]


@dataclass
class Score:
    """How a refusing detector and a name detector did on the corpus."""

    false_refusals: list[str] = field(default_factory=list)
    notes_refused_clean: int = 0
    missed: list[tuple[str, str]] = field(default_factory=list)
    identifiers: int = 0
    names_missed: list[tuple[str, str]] = field(default_factory=list)
    names: int = 0
    false_warnings: list[str] = field(default_factory=list)
    clean: int = 0
    names_refused: list[str] = field(default_factory=list)
    names_sentences: int = 0

    @property
    def false_refusal_rate(self) -> float:
        """Share of texts that should pass (clean notes and sentences with names) that were refused."""
        return (len(self.false_refusals) + len(self.names_refused)) / (self.clean + self.names_sentences)

    @property
    def identifiers_refused(self) -> float:
        """Share of identifiers refused."""
        return 1 - len(self.missed) / self.identifiers

    @property
    def names_warned(self) -> float:
        """Share of names warned about (a name counts when any part of it is in the warning)."""
        return 1 - len(self.names_missed) / self.names

    @property
    def false_warning_rate(self) -> float:
        """Share of clean notes with a name warning."""
        return len(self.false_warnings) / self.clean


def score(refuses: Callable[[str], list[str]], warns: Callable[[str], list[str]] | None = None,
          kinds: tuple[str, ...] | None = None) -> Score:
    """Score `refuses` (text -> kinds found) and `warns` (text -> names) on the corpus; `kinds` limits
    the identifiers to those a detector is meant for."""
    result = Score()
    texts = clean()
    result.clean = len(texts)
    result.false_refusals = [t for t in texts if refuses(t)]
    for kind, text in identifiers():
        if kinds is None or kind in kinds:
            result.identifiers += 1
            if kind not in refuses(text) and not (kinds is None and refuses(text)):
                result.missed.append((kind, text))
    sentences = names()
    result.names_sentences = len(sentences)
    result.names_refused = [t for t, _ in sentences if refuses(t)]
    if warns is not None:
        for text, listed in sentences:
            warned = {w.lower() for w in warns(text)}
            for name in listed:
                result.names += 1
                if not any(part.lower() in warned for part in name.split()):
                    result.names_missed.append((name, text))
        result.false_warnings = [t for t in texts if warns(t)]
    return result
