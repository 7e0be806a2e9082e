"""The client state engine: how one scored trainee reply moves resistance, alliance and stage.

Pure and deterministic (same persona, state and score -> same result), and every movement is
recorded as a StateChange with a reason for the report and plain words for the coach panel.
Rules follow MI practice: confrontation and unasked-for persuasion raise resistance (more so
in precontemplation); reflections, affirmations, autonomy support and open questions lower it;
the persona's triggers and softeners add their strength times the weight of the drivers named.
Contempt raises resistance sharply and earns nothing; ruptures and repairs follow
sim/engine/rupture.py, risk follows sim/engine/risk.py.
"""

from __future__ import annotations

from scoring.types import Code, ReplyScore
from sim.engine import rupture as rp
from sim.engine.effects import (
    ABUSE,
    EVOKING,
    FLOOR_SHARE,
    REPAIR_BONUS,
    Tally,
    base_effects,
    closed_streak,
    dampen_during_rupture,
    driver_effects,
    drop_softening,
)
from sim.engine.explain import plain
from sim.engine.listen import Act, Heard, listen
from sim.engine.moves import CONFRONT_MIN_CONFIDENCE, moves_of, strong_confrontation
from sim.engine.risk import update_risk
from sim.engine.types import ClientState, StateChange
from sim.personas.schema import Persona, Stage

PROGRESS_MAX_RESISTANCE = 0.45
PROGRESS_MIN_ALLIANCE = 0.5
PROGRESS_RATE = 0.045  # per evoking move; ~12 good turns per stage, slower after each advance


def initial_state(persona: Persona) -> ClientState:
    """The client before the first reply: the persona's baselines and stage."""
    ordered = sorted(persona.drivers, key=lambda d: -d.weight)
    return ClientState(
        resistance=persona.resistance.baseline,
        alliance=persona.resistance.alliance_baseline,
        stage=persona.stage,
        active_drivers=[d.name for d in ordered[:2]],
    )


def _clamp(value: float) -> float:
    return round(min(1.0, max(0.0, value)), 4)


def _moves(score: ReplyScore, heard: Heard, min_confidence: float) -> list[Code]:
    """The scorer's moves as the client hears them: blame is a confrontation, not a process
    comment; a plain confrontation the scorer was unsure of still lands when its words are
    unmistakable ("you're making excuses"); contempt leaves no warmth to react to."""
    moves = moves_of(score, min_confidence)
    if heard.overruled:
        moves = [m for m in moves if m not in (Code.CONFRONT, Code.PERSUADE)]
    if heard.act in (Act.BLAME, Act.CONFRONT, Act.ABUSE):
        moves = [m for m in moves if m != Code.PROCESS_COMMENT]
        if Code.CONFRONT not in moves:
            moves.insert(0, Code.CONFRONT)
    return moves


def apply_score(
    persona: Persona, state: ClientState, score: ReplyScore,
    min_confidence: float = CONFRONT_MIN_CONFIDENCE, heard: Heard | None = None,
) -> tuple[ClientState, list[StateChange]]:
    """Moves the client state for one scored reply; returns the new state and the reasons.
    Confrontation moves the client only when rated with at least `min_confidence`."""
    if heard is None:
        heard = listen(score.reply, score, persona, min_confidence, state.rupture_text,
                       (state.risk.cue or "") if state.risk.open else "",
                       risk_in_session=state.risk.raised)
    turn = state.turn + 1
    moves = _moves(score, heard, min_confidence)
    tally = Tally(start_resistance=state.resistance, start_alliance=state.alliance,
                  floor=round(FLOOR_SHARE * persona.resistance.baseline, 4))
    base_effects(state, moves, tally)
    driver_effects(persona, persona.resistance.triggers, 1.0, moves, tally)
    read = driver_effects(persona, persona.resistance.softeners, -1.0, moves, tally)
    streak = closed_streak(state, moves, tally)
    if heard.abuse:
        drop_softening(tally)
        tally.record("resistance", ABUSE[0], "abuse", "contempt, insult or threat")
        tally.record("alliance", ABUSE[1], "abuse", "contempt, insult or threat")
        tally.record("flag", 1.0, "abuse", "abuse or contempt toward the client (flagged)")
    if heard.promise:
        tally.record("flag", 1.0, "unkeepable_promise",
                     "a promise the therapist cannot keep (teaching flag)")
    confronted = Code.CONFRONT in moves or heard.abuse
    recent = state.last_repair_turn is not None and turn - state.last_repair_turn <= \
        rp.REPAIR_MEMORY
    if confronted and recent and tally.rises() > 0:
        extra = rp.AFTER_REPAIR_COST * tally.rises()
        tally.record("resistance", extra, "after_repair", "confronted soon after a repair")
        tally.record("alliance", -extra * 0.6, "after_repair", "confronted soon after a repair")
    harsh = strong_confrontation(score, min_confidence) and not heard.overruled
    ruptured = _rupture_and_repair(state, score, heard, confronted, recent, harsh, tally)
    resistance = _clamp(state.resistance + tally.resistance)
    alliance = _clamp(state.alliance + tally.alliance)
    _limits(state, resistance, alliance, tally)
    stage, progress = _progress(persona.stage, state, moves, resistance, alliance,
                                ruptured["rupture"], tally)
    disclosed, revealed = _disclose(persona, state, resistance, alliance,
                                    ruptured["rupture"], tally)
    risk = update_risk(persona, state.risk, turn, score.reply, heard, resistance, alliance,
                       bool(ruptured["rupture"]), tally.add)
    known = list(state.known_drivers)
    known += [d for d in [*revealed, *read] if d not in known]
    for i, change in enumerate(tally.changes):
        if not change.plain:
            text = plain(persona, known, change.move, change.delta, change.driver,
                         change.quantity)
            tally.changes[i] = change.model_copy(update={"plain": text})
    ordered = sorted(tally.touched.items(), key=lambda kv: (-kv[1], kv[0]))
    new_state = state.model_copy(update={
        "turn": turn, "resistance": resistance, "alliance": alliance, "stage": stage,
        "stage_progress": progress, "disclosed": disclosed, "closed_streak": streak,
        "active_drivers": [n for n, _ in ordered] or initial_state(persona).active_drivers,
        "used_lines": list(state.used_lines), "spoken": dict(state.spoken),
        "known_drivers": known, "risk": risk, **ruptured,
    })
    return new_state, tally.changes


def _rupture_and_repair(
    state: ClientState, score: ReplyScore, heard: Heard, confronted: bool,
    recent_repair: bool, strong: bool, tally: Tally,
) -> dict[str, object]:
    """The rupture fields of the new state, with their changes recorded in `tally`."""
    turn = state.turn + 1
    out: dict[str, object] = {
        "rupture": state.rupture, "ruptures": state.ruptures, "repairs": state.repairs,
        "rupture_severity": state.rupture_severity, "rupture_turn": state.rupture_turn,
        "rupture_text": state.rupture_text, "last_repair_turn": state.last_repair_turn,
        "repair_so_far": [],
    }
    rise = tally.rises()
    if state.rupture:
        dampen_during_rupture(tally)
        severity = state.rupture_severity
        if confronted:  # a fresh blow: any repair under way starts again
            severity = min(1.0, severity + 0.8 * rise)
            out["rupture_severity"] = round(severity, 4)
            return out
        # a repair may run over several turns (own it, then invite the client in): this turn
        # counts with the earlier ones when it brings a part they lacked (never the same
        # apology said twice)
        parts = rp.repair_parts(heard, state.repair_so_far)
        adds = parts != rp.padded(state.repair_so_far)
        if not adds:
            parts = rp.repair_parts(heard)
        quality = rp.repair_quality(heard, score, parts)
        need = rp.needed(severity)
        owns, named, _ = parts
        out["repair_so_far"] = parts if adds else list(state.repair_so_far)
        grade = (f"repair {quality:.2f} (ownership {owns:.1f}, naming {named:.1f})"
                 f" vs a {rp.label(severity)} rupture needing {need:.2f}")
        if quality >= need:
            scale = 0.5 + quality / 2
            tally.add("resistance", REPAIR_BONUS[0] * scale, "repair", f"{grade}: repaired")
            tally.add("alliance", REPAIR_BONUS[1] * scale, "repair", f"{grade}: repaired")
            tally.record("rupture", -1.0, "repair", f"rupture repaired ({grade})")
            out.update(rupture=False, repairs=state.repairs + 1, rupture_severity=0.0,
                       last_repair_turn=turn, rupture_text="", repair_so_far=[])
        elif quality >= 0.25:
            tally.add("resistance", REPAIR_BONUS[0] * quality / 2, "partial_repair",
                      f"{grade}: partly repaired")
            out["rupture_severity"] = round(max(0.1, severity - 0.5 * quality), 4)
        elif rp.is_attuned(heard, score):
            severity = round(severity - (0.12 if severity < rp.MILD else 0.06), 4)
            if severity <= 0.1:
                tally.record("rupture", -1.0, "attunement",
                             "sustained attunement eased the rupture")
                out.update(rupture=False, repairs=state.repairs + 1, rupture_severity=0.0,
                           last_repair_turn=turn, rupture_text="", repair_so_far=[])
            else:
                out["rupture_severity"] = severity
        return out
    eased = tally.resistance < 0
    strain = round(state.strain * (rp.STRAIN_EASE if eased else rp.STRAIN_KEEP) + rise, 4)
    out["strain"] = strain
    alliance = state.alliance + tally.alliance
    harsh = strong and alliance < rp.RUPTURE_ALLIANCE
    cause = None
    if heard.abuse:
        cause = "contempt toward the client"
    elif Code.CONFRONT.value in {c.move for c in tally.changes} and (
            rise >= rp.RUPTURE_JUMP or harsh or strain >= rp.STRAIN_CONFRONT):
        cause = f"a confrontation raised resistance {rise:+.2f} (strain {strain:.2f})"
    elif strain >= rp.STRAIN_ALONE:
        cause = f"strain built up over several turns ({strain:.2f})"
    if cause is not None:
        severity = rp.severity_of(rise, alliance, heard.abuse, recent_repair)
        move = "abuse" if heard.abuse else "confront" if confronted else "strain"
        tally.record("rupture", 1.0, move, f"{rp.label(severity)} rupture: {cause}")
        out.update(rupture=True, ruptures=state.ruptures + 1, rupture_severity=severity,
                   rupture_turn=turn, rupture_text=score.reply[:300], strain=0.0)
    return out


def _limits(state: ClientState, resistance: float, alliance: float, tally: Tally) -> None:
    """Records the part of the turn's changes the [0, 1] bounds swallowed, so the reasons
    always add up to what the meter shows."""
    for name, before, after, summed in (("resistance", state.resistance, resistance,
                                         tally.resistance),
                                        ("alliance", state.alliance, alliance, tally.alliance)):
        gap = round((after - before) - summed, 4)
        if abs(gap) >= 1e-4:
            tally.record(name, gap, "limit", f"{name} is at its limit")


def _progress(
    persona_stage: Stage, state: ClientState, moves: list[Code], resistance: float,
    alliance: float, rupture: object, tally: Tally,
) -> tuple[Stage, float]:
    """Stage progress is earned: sustained low resistance, good alliance, change-evoking moves."""
    stage, progress = state.stage, state.stage_progress
    evoking = [m for m in moves if m in EVOKING]
    if stage.index >= Stage.PREPARATION.index and Code.PERSUADE_WITH_PERMISSION in moves:
        evoking.append(Code.PERSUADE_WITH_PERMISSION)
    delta = 0.0
    label = ""
    if Code.CONFRONT in moves or Code.PERSUADE in moves:
        delta, label = -0.1, "pushing for change"
    elif (not rupture and evoking and resistance <= PROGRESS_MAX_RESISTANCE
          and alliance >= PROGRESS_MIN_ALLIANCE):
        advanced = max(0, stage.index - persona_stage.index)
        rate = PROGRESS_RATE / (1 + 2 * advanced)
        delta = rate * min(len(evoking), 2) * (0.5 + alliance - resistance)
        label = f"{evoking[0].value} with low resistance and good alliance"
    if delta:
        new = min(1.0, max(0.0, progress + delta))
        cause = (moves[0] if delta < 0 else evoking[0]).value
        tally.record("stage_progress", new - progress, cause, label)
        progress = new
    stages = list(Stage)
    if progress >= 1.0 and stage.index < len(stages) - 1:
        nxt = stages[stage.index + 1]
        cause = evoking[0].value if evoking else "progress"
        tally.record("stage", 1.0, cause, f"moved to {nxt.value}")
        return nxt, 0.0
    return stage, progress


def _disclose(
    persona: Persona, state: ClientState, resistance: float, alliance: float, rupture: object,
    tally: Tally,
) -> tuple[list[str], list[str]]:
    """At most one new disclosure per turn, once alliance and resistance allow it, and never
    while ruptured. Returns the disclosed ids and the drivers the new one makes visible."""
    disclosed = list(state.disclosed)
    if rupture:
        return disclosed, []
    for item in persona.disclosures:
        if item.id in disclosed:
            continue
        if alliance >= item.alliance_threshold and resistance <= item.max_resistance:
            disclosed.append(item.id)
            reason = f"disclosed '{item.id}' (alliance {alliance:.2f} >= {item.alliance_threshold})"
            tally.record("disclosure", 1.0, "alliance", reason)
            return disclosed, list(item.drivers)
    return disclosed, []
