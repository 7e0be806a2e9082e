"""`sim personas validate|schema|check` end to end through Typer's CliRunner."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sim.cli import app
from sim.cli.personas import SCHEMA_PATH, persona_schema
from sim.personas import persona_files

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "personas"
PERSONAS_DIR = ROOT / "personas"
SHIPPED = persona_files(PERSONAS_DIR)
runner = CliRunner(env={"COLUMNS": "200"})


def test_validate_shipped_library_passes():
    result = runner.invoke(app, ["personas", "validate", str(ROOT / "personas")])
    assert result.exit_code == 0, result.output
    assert f"all {len(SHIPPED)} persona file(s) valid" in result.output


def test_validate_reports_every_error_with_location():
    broken = FIXTURES / "broken"
    result = runner.invoke(
        app, ["personas", "validate", str(broken / "many-errors.yaml"), str(FIXTURES / "valid")]
    )
    assert result.exit_code == 1
    out = result.output
    assert f"{broken / 'many-errors.yaml'}:9:1: mood: unknown field (allowed: id," in out
    assert ":7:13: difficulty: 'extreme' is not allowed" in out
    assert ":12:8: client.age:" in out and "(got 'forty-seven')" in out
    assert out.count("unknown driver 'identity_thread'") == 2
    assert "ok (with gaps in coverage) " in out and "fixture-quiet-mechanic v1" in out
    assert "missing coverage: no answers about 'sleep'" in out  # a draft: reported, not fatal
    assert "1 of 2 file(s) invalid" in out


def test_validate_strict_fails_on_gaps_and_passes_the_shipped_library():
    fixture = str(FIXTURES / "valid")
    assert runner.invoke(app, ["personas", "validate", fixture]).exit_code == 0
    strict = runner.invoke(app, ["personas", "validate", "--strict", fixture])
    assert strict.exit_code == 1 and "with gaps in coverage" in strict.output
    shipped = runner.invoke(app, ["personas", "validate", "--strict", str(PERSONAS_DIR)])
    assert shipped.exit_code == 0, shipped.output
    assert "missing coverage" not in shipped.output


def test_validate_whole_broken_folder_fails():
    result = runner.invoke(app, ["personas", "validate", str(FIXTURES / "broken")])
    assert result.exit_code == 1
    for name in ("duplicate-key", "id-mismatch", "bad-stage", "syntax-error", "not-a-mapping"):
        assert f"{name}.yaml:" in result.output


def test_validate_missing_file():
    result = runner.invoke(app, ["personas", "validate", "nope.yaml"])
    assert result.exit_code == 1 and "nope.yaml:1:1: <file>: no such file" in result.output


def test_schema_prints_json_and_committed_copy_is_current(tmp_path):
    result = runner.invoke(app, ["personas", "schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["additionalProperties"] is False
    assert "drivers" in schema["required"] and "Stage" in schema["$defs"]
    assert json.loads(SCHEMA_PATH.read_text()) == persona_schema(), (
        "personas/schema.json is stale: run `sim personas schema -o personas/schema.json`"
    )
    target = tmp_path / "schema.json"
    assert runner.invoke(app, ["personas", "schema", "-o", str(target)]).exit_code == 0
    assert runner.invoke(app, ["personas", "schema", "--check", "-o", str(target)]).exit_code == 0
    target.write_text("{}")
    assert runner.invoke(app, ["personas", "schema", "--check", "-o", str(target)]).exit_code == 1


def test_check_needs_a_persona_or_all():
    result = runner.invoke(app, ["personas", "check"])
    assert result.exit_code != 0 and "--all" in result.output


def test_check_fixture_persona_passes():
    args = ["personas", "check", "fixture-quiet-mechanic", "--dir", str(FIXTURES / "valid")]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    for check in ("confrontation costs more than skill", "the skilful script never ruptures",
                  "abuse raises resistance", "a risk question gets an answer about risk"):
        assert check in result.output


def test_check_fails_a_persona_that_does_not_resist(tmp_path):
    """A client whom confrontation soothes and warmth provokes must fail the battery."""
    import yaml

    data = yaml.safe_load((FIXTURES / "valid" / "fixture-quiet-mechanic.yaml").read_text())
    data["id"] = "inverted"
    names = [d["name"] for d in data["drivers"]]
    for driver in data["drivers"]:
        driver["weight"] = 1.0

    def reactions(moves: list[str]) -> list[dict]:
        return [{"move": m, "strength": 1.0, "drivers": names, "note": "inverted"} for m in moves]

    warm = [
        "question_open",
        "reflection_simple",
        "reflection_complex",
        "affirm",
        "emphasizing_autonomy",
        "seeking_collaboration",
        "process_comment",
    ]
    data["resistance"]["triggers"] = reactions(warm)
    data["resistance"]["softeners"] = reactions(["confront", "persuade"])
    (tmp_path / "inverted.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    result = runner.invoke(app, ["personas", "check", "--all", "--dir", str(tmp_path)])
    assert result.exit_code == 1, result.output
    assert "FAIL inverted: confrontation costs more than skill" in result.output
    assert "FAIL inverted: recommended approach" not in result.output  # the fixture names none
    assert "1 of 1 persona(s) failed" in result.output


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_battery_on_every_shipped_persona(path, tmp_path):
    shutil.copy(path, tmp_path / path.name)
    result = runner.invoke(app, ["personas", "check", path.stem, "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output


def test_validate_defaults_to_the_settings_folder(monkeypatch, tmp_path):
    from sim.config import get_settings

    shutil.copy(FIXTURES / "broken" / "bad-stage.yaml", tmp_path)
    monkeypatch.setenv("SIM_PERSONAS_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        result = runner.invoke(app, ["personas", "validate"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1
    assert f"{tmp_path / 'bad-stage.yaml'}:20:8: stage:" in result.output
