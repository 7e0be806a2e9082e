"""Risk in the session: when the client hints at it, and whether the therapist heard.

A persona with risk gives a cue once trust allows (said once, in the client's words). The next
two trainee turns should take it up - ask, reflect it, name it; if both move on, the cue was
ignored, the client feels unheard, and the risk objective fails. A direct question is answered
at the client's level of trust; asking before any cue (screening) counts as noticing. Safety
planning is recorded once risk is on the table. Method details are never part of any of it.
"""

from __future__ import annotations

from collections.abc import Callable

from sim.engine import lexicon as lx
from sim.engine.listen import Act, Heard
from sim.engine.types import RiskState
from sim.personas.schema import Persona, RiskLevel

IGNORE_AFTER = 2  # trainee turns after the cue in which it must be taken up
HIGH_TRUST = 0.55
SOME_TRUST = 0.35

Add = Callable[..., None]


def trust_level(alliance: float, rupture: bool, kindly: bool = True) -> str:
    """'low_trust' | 'some_trust' | 'high_trust' for choosing how the client answers."""
    if rupture:
        return "low_trust"
    levels = ["low_trust", "some_trust", "high_trust"]
    index = 2 if alliance >= HIGH_TRUST else 1 if alliance >= SOME_TRUST else 0
    if not kindly:
        index = max(0, index - 1)
    return levels[index]


def _takes_up(text: str, heard: Heard, cue: str) -> bool:
    if heard.risk_topic or heard.act in (Act.RISK_QUESTION, Act.SAFETY_PLAN) or heard.safety:
        return True
    shared = set(lx.content_words(text)) & set(lx.content_words(cue))
    return len(shared) >= 2


def update_risk(
    persona: Persona, before: RiskState, turn: int, text: str, heard: Heard,
    resistance: float, alliance: float, rupture: bool, add: Add,
) -> RiskState:
    """The risk state after trainee turn `turn`; `add(quantity, delta, move, reason)` records
    what happened as StateChanges (a 'risk' entry marks the moment for the coach panel)."""
    risk = persona.risk
    level = risk.level if risk is not None else RiskLevel.NONE
    state = before.model_copy()
    if state.cue_turn is not None and state.noticed_turn is None and state.ignored_turn is None:
        if _takes_up(text, heard, state.cue or ""):
            state.noticed_turn = turn
            add("risk", 1.0, "risk_noticed", "took up the client's hint at risk")
        elif turn - state.cue_turn >= IGNORE_AFTER:
            state.ignored_turn = turn
            add("risk", -1.0, "risk_ignored", "the client's hint at risk went unanswered")
            add("resistance", 0.04, "risk_ignored", "hint at risk went unanswered")
            add("alliance", -0.05, "risk_ignored", "hint at risk went unanswered")
    asked = heard.act == Act.RISK_QUESTION or (heard.risk_direct and heard.question is not None)
    if asked and state.asked_turn is None:
        state.asked_turn, state.asked_kindly = turn, heard.risk_kind
        how = "directly and kindly" if heard.risk_kind else "in a leading or blaming way"
        add("risk", 1.0, "risk_asked", f"asked about risk {how}")
        if heard.risk_kind:
            add("alliance", 0.03, "risk_asked", "asked directly and kindly about risk")
        else:
            add("resistance", 0.05, "risk_asked", "asked about risk in a leading way")
        if state.cue_turn is None and level != RiskLevel.NONE and \
                trust_level(alliance, rupture, heard.risk_kind) != "low_trust":
            # asked before any hint: the answer itself tells, and asking was noticing
            state.cue_turn, state.noticed_turn = turn, turn
            state.cue = "(told when asked)"
    if heard.safety and state.safety_turn is None and \
            (state.cue_turn is not None or state.asked_turn is not None):
        state.safety_turn = turn
        add("risk", 1.0, "safety_plan", "planned for safety with the client")
    if level != RiskLevel.NONE and risk is not None and state.cue_turn is None and not rupture:
        for cue in risk.cues:
            if alliance >= cue.alliance_threshold and resistance <= cue.max_resistance:
                state.cue_turn, state.cue = turn, cue.line
                add("risk", 1.0, "risk_cue", "the client hinted at risk")
                break
    return state


def objective(persona: Persona, final: RiskState, within: int | None = None) -> tuple[bool, str]:
    """Met when the hint was taken up in time and risk asked about directly and kindly (and,
    for active ideation or a plan, safety planned)."""
    risk = persona.risk
    if risk is None or risk.level == RiskLevel.NONE:
        return True, "no risk in this client's story"
    if final.cue_turn is None:
        return False, "the client never felt safe enough to hint at risk"
    if final.ignored_turn is not None and (final.noticed_turn is None
                                           or final.noticed_turn > final.ignored_turn):
        return False, (f"the hint at turn {final.cue_turn} went unanswered (moved on by turn "
                       f"{final.ignored_turn})")
    if final.asked_turn is None:
        return False, f"the hint at turn {final.cue_turn} was noticed but not asked about directly"
    if within is not None and final.asked_turn > within:
        return False, f"risk asked about at turn {final.asked_turn}, after turn {within}"
    if not final.asked_kindly:
        return False, f"risk was asked about at turn {final.asked_turn}, but in a leading way"
    needs_plan = risk.level in (RiskLevel.ACTIVE_IDEATION, RiskLevel.PLAN_OR_INTENT)
    if needs_plan and final.safety_turn is None:
        return False, f"asked at turn {final.asked_turn}, but no safety planning followed"
    return True, f"hint at turn {final.cue_turn} asked about directly and kindly at turn " \
                 f"{final.asked_turn}"
