"""What the trainee did this turn, read from a ReplyScore: the codes the engine reacts to.

Kept apart from the state rules so the director, the voices and the battery agree on the same
reading of a score (e.g. which move is the "main" one a scripted reaction answers).
"""

from __future__ import annotations

import re

from scoring.types import Code, ReplyScore

HIT_THRESHOLD = 0.5
OWNING_MISSTEP = "owning_misstep"

# Order matters: the first present code is the move the client reacts to most.
MAIN_MOVE_ORDER: tuple[Code, ...] = (
    Code.CONFRONT,
    Code.PERSUADE,
    Code.PROCESS_COMMENT,
    Code.REFLECTION_COMPLEX,
    Code.EMPHASIZING_AUTONOMY,
    Code.AFFIRM,
    Code.PERSUADE_WITH_PERMISSION,
    Code.SEEKING_COLLABORATION,
    Code.REFLECTION_SIMPLE,
    Code.QUESTION_OPEN,
    Code.GIVING_INFORMATION,
    Code.QUESTION_CLOSED,
)

_MISSTEP = re.compile(
    r"\b(i was wrong|my mistake|i got (that|it) wrong|i pushed( you)? too"
    r"|i('m| am) sorry (for|that|if)|that came out wrong|i (went|jumped) (too fast|ahead)"
    r"|i got ahead of|i shouldn't have)\b",
    re.IGNORECASE,
)

_LEVEL_HIT = {"medium", "high"}


def moves_of(score: ReplyScore) -> list[Code]:
    """Codes present in the reply (probability >= 0.5, or a dimension rated medium/high)."""
    found = {hit.code for hit in score.codes if hit.probability >= HIT_THRESHOLD}
    if score.confrontation.present and score.confrontation.level in _LEVEL_HIT:
        found.add(Code.CONFRONT)
    if score.process_comment.present and score.process_comment.level in _LEVEL_HIT:
        found.add(Code.PROCESS_COMMENT)
    return [code for code in MAIN_MOVE_ORDER if code in found]


def main_move(score: ReplyScore) -> Code | None:
    moves = moves_of(score)
    return moves[0] if moves else None


def owns_misstep(score: ReplyScore) -> bool:
    """The trainee takes responsibility for a misstep ("I pushed too hard") - a repair move."""
    return bool(_MISSTEP.search(score.reply))


def strong_confrontation(score: ReplyScore) -> bool:
    conf = score.confrontation
    return conf.present and conf.level == "high"
