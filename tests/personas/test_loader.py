"""Strict loading: every error of a file at once, as file:line:column: field: what (allowed)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.personas import PersonaError, load_library, load_persona, parse_persona

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "personas"
BROKEN = FIXTURES / "broken"
VALID = FIXTURES / "valid" / "fixture-quiet-mechanic.yaml"


def issues_of(name: str) -> list[str]:
    with pytest.raises(PersonaError) as info:
        load_persona(BROKEN / name)
    assert info.value.issues, "a PersonaError always carries issues"
    return [str(i) for i in info.value.issues]


def test_valid_fixture_loads():
    persona = load_persona(VALID)
    assert persona.id == "fixture-quiet-mechanic"
    assert persona.drivers[0].name == "identity_threat"


def test_all_errors_of_a_file_at_once():
    path = str(BROKEN / "many-errors.yaml")
    lines = issues_of("many-errors.yaml")
    assert lines == [
        f"{path}:7:13: difficulty: 'extreme' is not allowed "
        "(allowed: 'introductory', 'intermediate' or 'advanced')",
        f"{path}:9:1: mood: unknown field (allowed: id, version, title, summary, difficulty, "
        "tags, client, stage, drivers, resistance, disclosures, voice, risk, approach, objectives)",
        f"{path}:12:8: client.age: Input should be a valid integer, unable to parse string as "
        "an integer (got 'forty-seven')",
        f"{path}:47:17: resistance.triggers[1].drivers[0]: unknown driver 'identity_thread' "
        "(allowed: identity_threat, mistrust_of_authority, threat_arousal)",
        f"{path}:64:17: resistance.softeners[2].drivers[0]: unknown driver 'identity_thread' "
        "(allowed: identity_threat, mistrust_of_authority, threat_arousal)",
    ]


def test_bad_enums_list_allowed_values():
    lines = issues_of("bad-stage.yaml")
    expected = ":20:8: stage: 'denial' is not allowed (allowed: 'precontemplation'"
    assert any(expected in x for x in lines)
    move = next(x for x in lines if "softeners[2].move" in x)
    assert "'praise' is not allowed" in move and "'process_comment'" in move and ":61:13:" in move


def test_duplicate_key_is_refused():
    assert issues_of("duplicate-key.yaml") == [
        f"{BROKEN / 'duplicate-key.yaml'}:3:1: version: duplicate key (keep one)"
    ]


def test_id_must_equal_file_stem():
    (line,) = issues_of("id-mismatch.yaml")
    assert line.endswith(":1:5: id: id 'someone-else' must equal the file name 'id-mismatch'")


def test_missing_fields_and_unknown_disclosure():
    lines = issues_of("missing-fields.yaml")
    assert any("summary: required field is missing" in x for x in lines)
    assert any(":74:3: voice.opening_line: required field is missing" in x for x in lines)
    (line,) = issues_of("unknown-disclosure.yaml")
    expected = "objectives[1].target: unknown disclosure 'near_mis' (allowed: near_miss, father)"
    assert expected in line


def test_duplicate_driver_name():
    lines = issues_of("duplicate-driver.yaml")
    assert lines[0].endswith(":31:11: drivers[2].name: driver name 'identity_threat' is used twice")
    assert "(allowed: identity_threat, mistrust_of_authority)" in lines[1]


def test_syntax_error_and_non_mapping():
    (line,) = issues_of("syntax-error.yaml")
    assert "syntax-error.yaml:4:1:" in line and "YAML syntax error" in line
    (line,) = issues_of("not-a-mapping.yaml")
    assert "must be a YAML mapping" in line


def test_parse_persona_without_stem_skips_id_check():
    text = VALID.read_text().replace("id: fixture-quiet-mechanic", "id: other-name")
    assert parse_persona(text).id == "other-name"


def test_library_collects_issues_of_every_file(tmp_path):
    shutil.copy(VALID, tmp_path / VALID.name)
    shutil.copy(BROKEN / "id-mismatch.yaml", tmp_path)
    shutil.copy(BROKEN / "bad-stage.yaml", tmp_path)
    with pytest.raises(PersonaError) as info:
        load_library(tmp_path)
    files = {Path(i.file).name for i in info.value.issues}
    assert files == {"id-mismatch.yaml", "bad-stage.yaml"}


def test_library_cache_follows_mtime(tmp_path):
    target = tmp_path / VALID.name
    shutil.copy(VALID, target)
    first = load_library(tmp_path)["fixture-quiet-mechanic"]
    assert load_library(tmp_path)["fixture-quiet-mechanic"] is first
    target.write_text(target.read_text().replace("version: 1", "version: 2"))
    stat = target.stat()
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert load_library(tmp_path)["fixture-quiet-mechanic"].version == 2


def test_shipped_personas_load():
    library = load_library(ROOT / "personas")
    assert len(library) >= 12


def _paths(node, prefix=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*prefix, key)
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield (*prefix, i)
            yield from _paths(value, (*prefix, i))


BASE = __import__("yaml").safe_load(VALID.read_text())
PATHS = list(_paths(BASE))


@settings(max_examples=80, deadline=None)
@given(
    path=st.sampled_from(PATHS),
    value=st.one_of(
        st.none(),
        st.integers(-5, 500),
        st.floats(-2, 2),
        st.text(max_size=8),
        st.lists(st.integers(), max_size=2),
        st.dictionaries(st.text(max_size=4), st.integers()),
    ),
)
def test_any_mutation_gives_persona_or_located_errors(path, value):
    """Whatever an author breaks, the loader answers with a persona or located issues."""
    import copy

    import yaml

    data = copy.deepcopy(BASE)
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    text = yaml.safe_dump(data, sort_keys=False)
    n_lines = text.count("\n") + 1
    try:
        parse_persona(text, "mutant.yaml", stem="fixture-quiet-mechanic")
    except PersonaError as exc:
        assert exc.issues
        for issue in exc.issues:
            assert 1 <= issue.line <= n_lines and issue.column >= 1 and issue.message
            assert str(issue).startswith(f"mutant.yaml:{issue.line}:{issue.column}: ")
