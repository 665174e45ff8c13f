"""The shape of the code, checked: layers and cycles (import-linter), where commits happen, atomic
operations, views that run no queries, and each word list typed once."""
from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

import ecotool
from ecotool.config import PROJECT_ROOT
from ecotool.vocab import VOCABULARIES

PACKAGE = PROJECT_ROOT / "ecotool"
# The request edge and the CLI are the only places a transaction is committed or rolled back.
EDGES = {PACKAGE / "__init__.py", PACKAGE / "cli.py"}
# Words that also mean something outside their vocabulary: a quintile may be "unknown" too.
SHARED_WORDS = {"unknown"}


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(), filename=str(path))


def _where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(PROJECT_ROOT)}:{node.lineno}"


def test_import_contracts_hold():
    """Layers between areas and inside each area, no web imports below views, no cycles (pyproject.toml)."""
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--config", "pyproject.toml", "--no-cache"],
        cwd=PROJECT_ROOT, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_only_the_request_edge_and_the_cli_commit_or_roll_back():
    offenders = [
        _where(path, node) for path in _modules() if path not in EDGES
        for node in ast.walk(_tree(path))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("commit", "rollback")
    ]
    assert offenders == [], "commit/rollback outside the edges: " + ", ".join(offenders)


def _write_modules():
    for info in pkgutil.walk_packages(ecotool.__path__, "ecotool."):
        if info.name.endswith((".operations", ".importing")):
            yield importlib.import_module(info.name)


def test_every_operation_is_atomic():
    """A public function of an operations module runs in a savepoint, so a refusal leaves nothing flushed."""
    modules = list(_write_modules())
    assert len(modules) >= 8
    bare = [
        f"{module.__name__}.{name}" for module in modules
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__ and not name.startswith("_")
        and not getattr(function, "atomic", False)
    ]
    assert bare == [], "operations without @atomic: " + ", ".join(bare)


WRITES = {"add", "add_all", "delete", "flush"}
WRITE_STATEMENTS = {"insert", "update", "delete"}
# Lower-level helpers that write only inside an operation, and the places that build demo data or the app.
WRITE_HELPERS = {PACKAGE / "audit.py", PACKAGE / "db.py", PACKAGE / "demo.py", *EDGES}


def _writes(function: ast.FunctionDef) -> bool:
    for node in ast.walk(function):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in WRITES and isinstance(node.func.value, ast.Name) and node.func.value.id == "session":
                return True
            if node.func.attr == "execute" and node.args and isinstance(node.args[0], ast.Call) and \
                    getattr(node.args[0].func, "id", None) in WRITE_STATEMENTS:
                return True
    return False


def test_every_public_function_that_writes_is_atomic():
    """Wherever a write lives (an import of a lookup table, say), its public entry point takes a savepoint."""
    bare = []
    for path in _modules():
        if path in WRITE_HELPERS:
            continue
        for node in _tree(path).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_") and _writes(node):
                if not any(getattr(d, "id", None) == "atomic" for d in node.decorator_list):
                    bare.append(_where(path, node) + " " + node.name)
    assert bare == [], "functions that write without @atomic: " + ", ".join(bare)


def test_views_run_no_queries():
    """Views validate, call an operation or a query, and redirect; they never build SQL themselves."""
    offenders = []
    for path in PACKAGE.rglob("views.py"):
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
                offenders.append(f"{_where(path, node)} imports {node.module}")
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Attribute) and node.func.value.attr == "session"):
                offenders.append(f"{_where(path, node)} calls session.{node.func.attr}()")
    assert offenders == []


def _vocabulary_of() -> dict[str, set[str]]:
    words: dict[str, set[str]] = {}
    for vocabulary in VOCABULARIES:
        for word in vocabulary.values():
            if word not in SHARED_WORDS and len(word) > 1:
                words.setdefault(word, set()).add(vocabulary.__name__)
    return words


def test_word_lists_are_typed_only_in_vocab():
    """No list of a vocabulary's words, and no comparison with one of them, outside vocab.py."""
    words = _vocabulary_of()
    offenders = []
    for path in _modules():
        if path.name == "vocab.py":
            continue
        for node in ast.walk(_tree(path)):
            if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
                found = [e.value for e in node.elts if isinstance(e, ast.Constant) and e.value in words]
                shared = set.intersection(*(words[w] for w in found)) if len(found) >= 2 else set()
                if shared:
                    offenders.append(f"{_where(path, node)} lists {found}")
            if isinstance(node, ast.Compare):
                for operand in [node.left, *node.comparators]:
                    if isinstance(operand, ast.Constant) and operand.value in words:
                        offenders.append(f"{_where(path, node)} compares with {operand.value!r}")
    assert offenders == [], "\n".join(offenders)


JINJA_EXPRESSION = re.compile(r"{[{%](.*?)[%}]}", re.S)
QUOTED = re.compile(r"""["']([^"']+)["']""")


def test_templates_take_their_words_from_vocab():
    """Templates compare with Role.X, Level.X and so on, never with a typed word."""
    words = _vocabulary_of()
    offenders = []
    for path in sorted((PROJECT_ROOT / "templates").rglob("*.html")):
        for expression in JINJA_EXPRESSION.findall(path.read_text()):
            offenders += [f"{path.relative_to(PROJECT_ROOT)}: {w!r}" for w in QUOTED.findall(expression)
                          if w in words]
    assert offenders == [], "\n".join(offenders)


@pytest.mark.parametrize("vocabulary", VOCABULARIES, ids=lambda v: v.__name__)
def test_vocabulary_values_are_distinct_and_labelled(vocabulary):
    values = vocabulary.values()
    assert len(values) == len(set(values)) > 0
    assert all(member.label for member in vocabulary)
