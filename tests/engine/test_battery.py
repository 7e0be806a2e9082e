"""The battery's scripts are a seam: another writer's lines run through the same checks, and a
script that does the wrong thing fails them (the checks can fail)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring import get_scorer
from sim.engine.battery import BATTERY, Scripts, run_battery
from sim.personas import load_persona

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def scorer():
    return get_scorer()


@pytest.fixture(scope="module")
def driver():
    return load_persona(ROOT / "personas" / "court-mandated-driver.yaml")


def test_every_abuse_line_and_risk_question_is_its_own_check(driver, scorer):
    result = run_battery(driver, scorer)
    names = [name for name, _, _ in result.checks]
    assert names.count("abuse raises resistance and earns no warmth") == len(BATTERY.abuse)
    assert names.count("a risk question gets an answer about risk") == len(
        BATTERY.risk_questions)
    assert result.ok, result.failures


def test_a_skilful_script_that_confronts_fails(driver, scorer):
    """Swap the scripts: the 'skilful' trainee argues and the 'confrontational' one listens."""
    swapped = Scripts(skilful=BATTERY.confrontational, confrontational=BATTERY.skilful,
                      repair=BATTERY.repair, repair_at=BATTERY.repair_at, abuse=BATTERY.abuse,
                      risk_questions=BATTERY.risk_questions)
    failures = run_battery(driver, scorer, swapped).failures
    assert any(f.startswith("confrontation costs more than skill") for f in failures), failures


def test_a_repair_script_that_never_repairs_fails(driver, scorer):
    no_repair = Scripts(skilful=BATTERY.skilful, confrontational=BATTERY.confrontational,
                        repair=BATTERY.confrontational, repair_at=2, abuse=BATTERY.abuse[:1],
                        risk_questions=BATTERY.risk_questions[:1])
    failures = run_battery(driver, scorer, no_repair).failures
    assert any(f.startswith("confrontation ruptures, the repair repairs") for f in failures)


def test_a_warm_line_in_the_abuse_slot_fails(driver, scorer):
    """The abuse check is not satisfied by any line: a kind one earns warmth and fails it."""
    kind = Scripts(skilful=BATTERY.skilful, confrontational=BATTERY.confrontational,
                   repair=BATTERY.repair, repair_at=BATTERY.repair_at,
                   abuse=["Thank you for telling me; that took courage."],
                   risk_questions=BATTERY.risk_questions[:1])
    failures = run_battery(driver, scorer, kind).failures
    assert any(f.startswith("abuse raises resistance") for f in failures), failures
