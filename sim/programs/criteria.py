"""Pass criteria built from a scenario's objectives and score thresholds, and their check
against a finished attempt's report (every branch counted: see sim/reports/branches.py)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class PassCriteria(BaseModel):
    """All set criteria must hold. Objectives are the persona's own (sim/engine/objectives)."""

    objectives: list[str] | None = Field(default=None, max_length=50, description=(
        "Objective ids that must be met; null: none required by id"))
    min_objectives_met: int | None = Field(default=None, ge=0, le=50)
    min_turns: int | None = Field(default=3, ge=1, le=200)
    min_reflection_to_question: float | None = Field(default=None, ge=0, le=20)
    min_percent_complex_reflection: float | None = Field(default=None, ge=0, le=100)
    max_final_resistance: float | None = Field(default=None, ge=0, le=1)
    min_final_alliance: float | None = Field(default=None, ge=0, le=1)
    max_ruptures: int | None = Field(default=None, ge=0, le=100, description=(
        "Counted on every branch of the attempt, not only the kept one"))


class CriterionResult(BaseModel):
    criterion: str
    required: Any
    actual: Any
    met: bool


def _num(value: Any) -> float | None:
    return None if value is None else float(value)


def evaluate(criteria: PassCriteria, report: dict[str, Any]) -> list[CriterionResult]:
    """One result per criterion that is set; `report` is a Report as JSON (model_dump)."""
    summary = report.get("summary") or {}
    session = report.get("session") or {}
    state = session.get("state") or {}
    record = report.get("record") or {}
    met_ids = {o["id"] for o in report.get("objectives", []) if o.get("met")}
    out: list[CriterionResult] = []

    def check(name: str, required: Any, actual: Any, ok: bool) -> None:
        out.append(CriterionResult(criterion=name, required=required, actual=actual, met=ok))

    if criteria.objectives:
        missing = [o for o in criteria.objectives if o not in met_ids]
        check("objectives", criteria.objectives, sorted(met_ids), not missing)
    if criteria.min_objectives_met is not None:
        check("min_objectives_met", criteria.min_objectives_met, len(met_ids),
              len(met_ids) >= criteria.min_objectives_met)
    if criteria.min_turns is not None:
        turns = len(report.get("scored_turn_indices") or [])
        check("min_turns", criteria.min_turns, turns, turns >= criteria.min_turns)
    if criteria.min_reflection_to_question is not None:
        rq = _num(summary.get("rq_ratio"))
        check("min_reflection_to_question", criteria.min_reflection_to_question, rq,
              rq is not None and rq >= criteria.min_reflection_to_question)
    if criteria.min_percent_complex_reflection is not None:
        cr = _num(summary.get("pct_complex_reflections"))
        check("min_percent_complex_reflection", criteria.min_percent_complex_reflection, cr,
              cr is not None and cr >= criteria.min_percent_complex_reflection)
    if criteria.max_final_resistance is not None:
        res = _num(state.get("resistance"))
        check("max_final_resistance", criteria.max_final_resistance, res,
              res is not None and res <= criteria.max_final_resistance)
    if criteria.min_final_alliance is not None:
        al = _num(state.get("alliance"))
        check("min_final_alliance", criteria.min_final_alliance, al,
              al is not None and al >= criteria.min_final_alliance)
    if criteria.max_ruptures is not None:
        ruptures = record.get("ruptures_anywhere")
        check("max_ruptures", criteria.max_ruptures, ruptures,
              ruptures is not None and ruptures <= criteria.max_ruptures)
    return out


def describe(criteria: PassCriteria) -> list[str]:
    """The criteria in words, for the assignment card and the certificate's audit trail."""
    words = []
    if criteria.objectives:
        words.append("objectives met: " + ", ".join(criteria.objectives))
    if criteria.min_objectives_met is not None:
        words.append(f"at least {criteria.min_objectives_met} objective(s) met")
    if criteria.min_turns is not None:
        words.append(f"at least {criteria.min_turns} scored turns")
    if criteria.min_reflection_to_question is not None:
        words.append(f"reflection-to-question ratio at least {criteria.min_reflection_to_question}")
    if criteria.min_percent_complex_reflection is not None:
        words.append(f"complex reflections at least {criteria.min_percent_complex_reflection}%")
    if criteria.max_final_resistance is not None:
        words.append(f"final resistance at most {criteria.max_final_resistance}")
    if criteria.min_final_alliance is not None:
        words.append(f"final alliance at least {criteria.min_final_alliance}")
    if criteria.max_ruptures is not None:
        words.append(f"at most {criteria.max_ruptures} rupture(s), on any branch")
    return words
