"""Framework files: validation with paths, versions kept, the shipped file's coverage."""
from __future__ import annotations

import pytest

from pathlib import Path

import yaml
from sqlalchemy import func, select

from ecotool.capture.models import Observation
from ecotool.config import PROJECT_ROOT
from ecotool.framework.loader import FrameworkError, read, validate
from ecotool.framework.operations import load_file
from ecotool.framework.models import Domain, FrameworkVersion, Prompt, Trigger

SHIPPED = PROJECT_ROOT / "frameworks" / "social-ecological.yaml"


def _shipped() -> dict:
    return yaml.safe_load(SHIPPED.read_text())


def _write(tmp_path: Path, data: dict, name: str = "fw.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def test_shipped_framework_is_valid():
    assert validate(_shipped()) == []


def test_bad_level_is_reported_with_its_path():
    data = _shipped()
    data["domains"][3]["level"] = "mezzo"
    assert "domains[3].level: 'mezzo' is not one of macro, meso, micro" in validate(data)


def test_every_error_is_reported_not_only_the_first():
    data = _shipped()
    data["domains"][0]["level"] = "mezzo"
    del data["domains"][1]["name"]
    data["domains"][2]["colour"] = "red"
    errors = validate(data)
    assert "domains[0].level: 'mezzo' is not one of macro, meso, micro" in errors
    assert any(e.startswith("domains[1]: 'name' is a required property") for e in errors)
    assert any(e.startswith("domains[2]: unknown key(s) not allowed") and "colour" in e for e in errors)


def test_cross_references_are_checked():
    data = _shipped()
    data["domains"][0]["responses"] = ["no-such-response"]
    data["triggers"][0]["domain"] = "micro.nowhere"
    data["triggers"][1]["prompt"] = "Look at {value} and {secret}"
    data["domains"][1]["code"] = data["domains"][2]["code"]
    errors = validate(data)
    assert "domains[0].responses[0]: 'no-such-response' is not a response_types code" in errors
    assert "triggers[0].domain: 'micro.nowhere' is not a domain code" in errors
    assert "triggers[1].prompt: unknown placeholder {secret}; use value, count, total, of, times" in errors
    assert f"domains[2].code: {data['domains'][2]['code']!r} is used twice" in errors


def test_domain_code_must_start_with_its_level():
    data = _shipped()
    micro = next(i for i, d in enumerate(data["domains"]) if d["level"] == "micro")
    data["domains"][micro]["level"] = "meso"
    assert any(e.startswith(f"domains[{micro}].code:") and "does not start with its level 'meso'" in e
               for e in validate(data))


def test_bad_yaml_names_the_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("key: x\nlevels: [unclosed\n")
    try:
        read(path)
    except FrameworkError as error:
        assert error.source == "broken.yaml"
        assert "line" in error.errors[0] and "not valid YAML" in error.errors[0]
    else:
        raise AssertionError("broken YAML was accepted")


def test_validate_command_exit_codes(runner, tmp_path):
    good = runner.invoke(args=["framework", "validate", str(SHIPPED)])
    assert good.exit_code == 0, good.output
    assert "valid" in good.output
    data = _shipped()
    data["domains"][3]["level"] = "mezzo"
    bad_path = _write(tmp_path, data, "bad-framework.yaml")
    bad = runner.invoke(args=["framework", "validate", str(bad_path)])
    assert bad.exit_code == 1
    assert "bad-framework.yaml: domains[3].level: 'mezzo' is not one of macro, meso, micro" in bad.output


def test_loading_unchanged_file_twice_creates_nothing(session, framework):
    counts = [session.scalar(select(func.count()).select_from(m)) for m in (FrameworkVersion, Domain, Prompt, Trigger)]
    version, created = load_file(session, SHIPPED)
    assert not created and version.id == framework.id
    assert counts == [session.scalar(select(func.count()).select_from(m)) for m in (FrameworkVersion, Domain, Prompt, Trigger)]


def test_changed_file_creates_a_new_version_and_old_records_keep_theirs(
    session, framework, tmp_path, team, make_case,
):
    from ecotool.capture.operations import add_observation

    case = make_case(team["service"], team["supporter"])
    old_domain = next(d for d in framework.domains if d.code == "micro.household-gatekeeping")
    obs = add_observation(session, team["supporter"].id, team["service"], case=case, domain_id=old_domain.id,
                          journey_stage="first-days", kind="barrier", source="call", text="Partner answers")
    session.commit()

    data = _shipped()
    data["version"] = "3"
    gate = next(d for d in data["domains"] if d["code"] == "micro.household-gatekeeping")
    gate["name"] = "Someone else picks up"
    new_version, created = load_file(session, _write(tmp_path, data, "social-ecological.yaml"))
    session.commit()
    assert created and new_version.id != framework.id and new_version.declared_version == "3"
    assert session.scalar(select(func.count()).select_from(FrameworkVersion)) == 2
    session.expire_all()
    kept = session.get(Observation, obs.id)
    assert kept.framework_version_id == framework.id
    assert kept.domain.name == old_domain.name != "Someone else picks up"
    assert session.get(FrameworkVersion, framework.id).sha256 != new_version.sha256


def test_going_back_to_an_earlier_file_makes_it_current_again(session, framework, tmp_path):
    from ecotool.framework.queries import current_version

    data = _shipped()
    data["version"] = "2"
    v2, _ = load_file(session, _write(tmp_path, data, "social-ecological.yaml"))
    session.commit()
    assert current_version(session).id == v2.id
    again, created = load_file(session, SHIPPED)
    session.commit()
    assert not created and again.id == framework.id
    assert current_version(session).id == framework.id


def test_schema_and_cross_reference_errors_are_listed_together():
    data = _shipped()
    data["domains"][0]["level"] = "mezzo"
    data["triggers"][0]["domain"] = "micro.nowhere"
    errors = validate(data)
    assert "domains[0].level: 'mezzo' is not one of macro, meso, micro" in errors
    assert "triggers[0].domain: 'micro.nowhere' is not a domain code" in errors


def test_an_alias_bomb_is_refused_at_once(tmp_path):
    """Nine aliases of nine of nine... stand for 9^10 nodes, which any walk of the data would expand: refused."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]" for n in range(1, 10)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(FrameworkError) as refused:
        read(path)
    assert "its aliases expand into more than 200,000 nodes" in refused.value.errors[0]


def test_deep_nesting_is_refused_not_a_recursion_error(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("levels: " + "[" * 20000 + "]" * 20000 + "\n")
    with pytest.raises(FrameworkError) as refused:
        read(path)
    assert "nested more than 40 levels deep" in refused.value.errors[0]
