"""Why the meter moved, in the trainee's words, without giving the client's secrets away.

Each StateChange carries `reason` (engine wording, for the report and instructors) and `plain`
(for the coach panel): "The client felt judged" once the trainee has found that driver, and
"That touched something the client hasn't talked about yet" until then. `why()` groups a
turn's changes by their plain wording, sorts them by size and, because the state is clamped to
[0, 1], they always sum to what the meter shows.
"""

from __future__ import annotations

from pydantic import BaseModel

from sim.engine.types import StateChange
from sim.personas.schema import Persona

HIDDEN = "That touched something the client hasn't talked about yet"
LIMIT = "The meter is already at its limit"
MOVE_PLAIN: dict[str, tuple[str, str]] = {  # move -> (when it raised resistance, when it lowered)
    "confront": ("Being confronted put the client on the defensive",
                 "The challenge landed without a fight"),
    "persuade": ("Being argued with made the client dig in", "The push for change landed"),
    "giving_information": ("Unasked-for information felt like a lecture",
                           "The information was welcome"),
    "persuade_with_permission": ("Advice, even offered with permission, came too early",
                                 "Advice offered with permission was welcome"),
    "question_open": ("The open question felt like prying", "An open question gave room to talk"),
    "question_closed": ("Closed questions in a row felt like a checklist",
                        "A short question was easy to answer"),
    "reflection_simple": ("The reflection missed", "The client felt heard"),
    "reflection_complex": ("The reflection went too deep too soon",
                           "The client felt understood beneath the words"),
    "affirm": ("The praise felt hollow", "The recognition felt genuine"),
    "emphasizing_autonomy": ("The choice felt like a test", "Being left in charge of the choice"),
    "seeking_collaboration": ("The invitation felt like a trap", "Being invited to work together"),
    "process_comment": ("Talking about the relationship felt exposing",
                        "Talking openly about what was happening between you"),
    "owning_misstep": ("", "You owned what went wrong"),
    "abuse": ("Contempt or abuse: the client felt attacked", ""),
    "blame": ("Blame phrased as a question put the client on trial", ""),
    "repair": ("", "The rupture was repaired"),
    "partial_repair": ("", "The repair attempt helped, but not enough yet"),
    "attunement": ("", "Staying attuned eased a small rupture"),
    "after_repair": ("Confronting soon after a repair cost more trust", ""),
    "risk_ignored": ("The client's hint at risk went unanswered", ""),
    "risk_asked": ("Asking about risk in a leading or blaming way",
                   "Asked directly and kindly about safety"),
    "limit": (LIMIT, LIMIT),
}


class WhyLine(BaseModel):
    """One reason the meter moved, with its share of the change."""

    text: str
    resistance: float
    alliance: float


def plain(persona: Persona, known: list[str], move: str, delta: float,
          driver: str | None = None, quantity: str = "resistance") -> str:
    """The trainee's words for one change: a known driver's 'felt', else the move's effect.
    A rise in resistance and a fall in alliance are the same kind of news (and share a line)."""
    if driver:
        drivers = {d.name: d for d in persona.drivers}
        found = drivers.get(driver)
        if driver not in known or found is None or not found.felt:
            return HIDDEN
        return f"The client {found.felt}"
    raised, lowered = MOVE_PLAIN.get(move, ("", ""))
    harmful = delta > 0 if quantity != "alliance" else delta < 0
    text = raised if harmful else lowered
    if quantity == "alliance" and not text:
        return "That strained the relationship" if harmful else "That strengthened the relationship"
    return text or ("That raised resistance" if delta > 0 else "That eased resistance")


def why(changes: list[StateChange]) -> list[WhyLine]:
    """The turn's resistance and alliance changes grouped by plain wording, biggest first;
    the resistance column sums to the meter's change, and so does the alliance column."""
    groups: dict[str, list[float]] = {}
    for change in changes:
        if change.quantity not in ("resistance", "alliance"):
            continue
        text = change.plain or change.reason
        slot = groups.setdefault(text, [0.0, 0.0])
        slot[0 if change.quantity == "resistance" else 1] += change.delta
    lines = [WhyLine(text=t, resistance=round(r, 4), alliance=round(a, 4))
             for t, (r, a) in groups.items() if abs(r) >= 1e-4 or abs(a) >= 1e-4]
    return sorted(lines, key=lambda w: (-(abs(w.resistance) + abs(w.alliance)), w.text))
