"""Session summary in the style of MITI 4.2.1 behaviour counts and summary scores.

Only behaviour-count summary scores are computed (R:Q, %CR, adherent/non-adherent counts). The
MITI global scores need a whole session of real clinical work (20-minute segments), so they
are deliberately not claimed for short role-plays.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from scoring.types import (
    DIMENSIONS,
    MI_ADHERENT,
    MI_NON_ADHERENT,
    NON_MITI,
    Code,
    Evidence,
    ReplyScore,
)

Band = Literal["below fair", "fair", "good", "n/a"]
RQ_FAIR, RQ_GOOD = 1.0, 2.0
PCR_FAIR, PCR_GOOD = 40.0, 50.0
GLOBALS_NOTE = (
    "MITI 4.2.1 global scores (cultivating change talk, softening sustain talk, partnership, "
    "empathy) are not estimated: the manual rates them over a 20-minute segment of real "
    "practice, which a short role-play is not. Only behaviour counts and their ratios are given."
)


class KeyMoment(BaseModel):
    turn: int = Field(description="0-based index of the reply in the session")
    kind: Literal["confrontation", "process_comment", "complex_reflection"]
    reply: str
    evidence: Evidence | None = None
    probability: float
    suggestion: str | None = None


class SessionSummary(BaseModel):
    n_replies: int
    code_counts: dict[str, int]
    reflections: int
    complex_reflections: int
    questions: int
    rq_ratio: float | None = Field(description="reflections per question; None if no questions")
    rq_band: Band
    pct_complex_reflections: float | None = Field(description="% of reflections that are complex")
    pct_complex_band: Band
    thresholds: dict[str, float]
    mi_adherent: int
    mi_non_adherent: int
    teaching_flags: dict[str, int] = Field(
        default_factory=dict,
        description="counts of the codes MITI does not have (risk questions, minimizing, "
                    "hostility, promises that cannot be kept, process comments)")
    dimension_counts: dict[str, int]
    trajectories: dict[str, list[float]] = Field(description="probability per turn, per dimension")
    key_moments: list[KeyMoment]
    note: str = GLOBALS_NOTE


def band(value: float | None, fair: float, good: float) -> Band:
    """Which MITI band a summary score falls in."""
    if value is None:
        return "n/a"
    return "good" if value >= good else "fair" if value >= fair else "below fair"


def summarize_session(scores: list[ReplyScore], max_moments: int = 6) -> SessionSummary:
    """Counts, MITI ratios with their bands, trajectories and the moments that mattered most."""
    counts = {code.value: sum(s.has(code) for s in scores) for code in Code}
    refl = counts[Code.REFLECTION_SIMPLE] + counts[Code.REFLECTION_COMPLEX]
    cr = counts[Code.REFLECTION_COMPLEX]
    ques = counts[Code.QUESTION_OPEN] + counts[Code.QUESTION_CLOSED]
    if ques:
        rq: float | None = round(refl / ques, 3)
        rq_band = band(rq, RQ_FAIR, RQ_GOOD)
    else:
        rq, rq_band = None, ("good" if refl else "n/a")
    pcr = round(100.0 * cr / refl, 1) if refl else None
    return SessionSummary(
        n_replies=len(scores), code_counts=counts, reflections=refl, complex_reflections=cr,
        questions=ques, rq_ratio=rq, rq_band=rq_band, pct_complex_reflections=pcr,
        pct_complex_band=band(pcr, PCR_FAIR, PCR_GOOD),
        thresholds={"rq_fair": RQ_FAIR, "rq_good": RQ_GOOD, "pct_cr_fair": PCR_FAIR,
                    "pct_cr_good": PCR_GOOD},
        mi_adherent=sum(counts[c] for c in MI_ADHERENT),
        mi_non_adherent=sum(counts[c] for c in MI_NON_ADHERENT),
        teaching_flags={c.value: counts[c] for c in sorted(NON_MITI, key=list(Code).index)},
        dimension_counts={d: sum(s.dimension(d).present for s in scores) for d in DIMENSIONS},
        trajectories={d: [s.dimension(d).probability for s in scores] for d in DIMENSIONS},
        key_moments=key_moments(scores, max_moments),
    )


def key_moments(scores: list[ReplyScore], limit: int) -> list[KeyMoment]:
    """Confrontations first (with their alternative), then process comments, then the
    strongest complex reflections; returned in turn order."""
    found: list[tuple[int, float, KeyMoment]] = []
    for turn, s in enumerate(scores):
        if s.confrontation.present:
            found.append((0, -s.confrontation.probability, KeyMoment(
                turn=turn, kind="confrontation", reply=s.reply,
                evidence=s.confrontation.evidence, probability=s.confrontation.probability,
                suggestion=s.suggestion)))
        if s.process_comment.present:
            found.append((1, -s.process_comment.probability, KeyMoment(
                turn=turn, kind="process_comment", reply=s.reply,
                evidence=s.process_comment.evidence, probability=s.process_comment.probability)))
        hit = next((h for h in s.codes if h.code == Code.REFLECTION_COMPLEX), None)
        if hit is not None and hit.probability >= 0.6:
            found.append((2, -hit.probability, KeyMoment(
                turn=turn, kind="complex_reflection", reply=s.reply, evidence=hit.evidence,
                probability=hit.probability)))
    chosen = [m for _, _, m in sorted(found, key=lambda t: (t[0], t[1]))[:limit]]
    return sorted(chosen, key=lambda m: m.turn)
