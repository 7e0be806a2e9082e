"""The outside battery reads a writer's script sets strictly and reports every check."""

from __future__ import annotations

import json

import pytest

from bench.outside_battery import load_scripts, main

SET = {"voice": "test voice",
       "skilful": ["What brings you in today?", "It sounds like this week was a lot."],
       "confrontational": ["You're in denial.", "You need to stop making excuses."],
       "repair": ["You're in denial.", "Why are you so difficult?",
                  "I'm sorry, I labelled you just now and that wasn't fair.",
                  "How did that land for you?"],
       "abuse": ["Shut up, you useless idiot."],
       "risk": ["Have you been having thoughts of ending your life?"]}


def test_a_set_missing_a_field_is_refused_with_its_index(tmp_path):
    path = tmp_path / "scripts.json"
    path.write_text(json.dumps([SET, {**SET, "abuse": []}]))
    with pytest.raises(SystemExit, match=r"set 1 has no abuse"):
        load_scripts(path)


def test_one_persona_runs_every_check(tmp_path, capsys):
    path = tmp_path / "scripts.json"
    path.write_text(json.dumps([SET]))
    assert main(["--scripts", str(path), "--persona", "court-mandated-driver"]) == 0
    out = capsys.readouterr().out
    assert "1 script sets x 1 personas" in out
    for check in ("confrontation costs more than skill", "the skilful script never ruptures",
                  "confrontation ruptures, the repair repairs",
                  "abuse raises resistance and earns no warmth",
                  "a risk question gets an answer about risk"):
        assert check in out
