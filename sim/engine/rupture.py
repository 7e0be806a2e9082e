"""Rupture and repair as a clinician would recognise them.

A rupture needs a confident confrontation (the scorer sure of it) that lands hard, contempt, or
strain that has built up over several turns; one misread warm line never ruptures. Each rupture
has a severity. Repair is graded: how clearly the therapist owns the misstep, how specifically
they name what happened, and whether they invite the client to talk about it - against how
severe the rupture was. Blame dressed as a question ("You only say that because..., right?")
never repairs, and a confrontation soon after a repair costs more than one before it.
"""

from __future__ import annotations

from collections.abc import Sequence

from scoring.types import ReplyScore
from sim.engine.listen import Act, Heard

RUPTURE_JUMP = 0.15  # a confident confrontation raising resistance this much in one turn
RUPTURE_ALLIANCE = 0.3  # a harsh confrontation below this alliance ruptures
STRAIN_KEEP = 0.85  # share of last turn's strain that carries over
STRAIN_EASE = 0.3  # ... when the turn eased resistance instead
STRAIN_CONFRONT = 0.2  # strain at which a confident confrontation ruptures even if mild
STRAIN_ALONE = 0.22  # strain at which the alliance breaks without any confrontation
REPAIR_MEMORY = 5  # turns after a repair in which a confrontation costs more
AFTER_REPAIR_COST = 0.5  # extra share of the raise for such a confrontation
MILD = 0.45
SEVERE = 0.7


def severity_of(rise: float, alliance: float, abuse: bool, after_repair: bool) -> float:
    """How badly the alliance broke, 0.1-1: size of the blow, how little trust cushioned it."""
    value = 0.2 + 1.6 * max(0.0, rise) + 0.4 * abuse + 0.2 * after_repair
    value += max(0.0, RUPTURE_ALLIANCE - alliance)
    return round(min(1.0, max(0.1, value)), 4)


def label(severity: float) -> str:
    return "mild" if severity < MILD else "moderate" if severity < SEVERE else "severe"


def needed(severity: float) -> float:
    """Repair quality a rupture of this severity needs (0.3 for the mildest, 0.7 for the worst)."""
    return round(0.25 + 0.45 * severity, 4)


def padded(so_far: Sequence[float]) -> list[float]:
    """The three parts of a repair under way (none yet: zeros)."""
    return [*so_far, 0.0, 0.0, 0.0][:3]


def repair_parts(heard: Heard, so_far: Sequence[float] = ()) -> list[float]:
    """(ownership, naming, invitation) of the repair so far, this turn included: a therapist
    may own the misstep in one turn and invite the client in the next."""
    before = padded(so_far)
    return [max(before[0], heard.owns), max(before[1], heard.specific),
            max(before[2], float(heard.invites))]


def repair_quality(heard: Heard, score: ReplyScore, parts: Sequence[float] | None = None
                   ) -> float:
    """0-1: ownership weighs most, then naming the moment, then inviting the client in (over
    the turns of one repair, `parts`; this turn's alone by default). Blame, contempt or a fresh
    confrontation is no repair."""
    if heard.blame or heard.abuse or heard.act in (Act.CONFRONT, Act.BLAME):
        return 0.0
    owns, specific, invites = parts if parts is not None else repair_parts(heard)
    quality = 0.45 * owns + 0.35 * specific + 0.2 * invites
    pc = score.process_comment
    if pc.present and not getattr(pc, "unsure", False) and pc.level in ("medium", "high"):
        quality += 0.1
    return round(min(1.0, quality), 4)


def is_attuned(heard: Heard, score: ReplyScore) -> bool:
    """A turn of quiet attunement: an accurate reflection or validation, nothing pushing."""
    if heard.act in (Act.CONFRONT, Act.BLAME, Act.ABUSE, Act.ADVICE):
        return False
    val = score.validation
    warm = val.present and val.level in ("medium", "high") and not getattr(val, "unsure", False)
    return heard.act == Act.REFLECTION or warm
