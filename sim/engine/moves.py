"""What the trainee did this turn, read from a ReplyScore: the codes the engine reacts to.

Kept apart from the state rules so the director, the voices and the battery agree on the same
reading of a score (e.g. which move is the "main" one a scripted reaction answers).
"""

from __future__ import annotations

import re

from scoring.types import Code, ReplyScore

HIT_THRESHOLD = 0.5
CONFRONT_MIN_CONFIDENCE = 0.7
"""Default of SIM_CONFRONT_MIN_CONFIDENCE: the client reacts to a confrontation only when the
scorer's calibrated probability reaches this (and is not in the 'unsure' band), so a warm line
that the scorer half-misreads never ruptures a skilful session."""
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


def confident_confrontation(score: ReplyScore,
                            min_confidence: float = CONFRONT_MIN_CONFIDENCE) -> bool:
    """The scorer is sure enough that the reply confronts for the client to react to it."""
    conf = score.confrontation
    return conf.present and not conf.unsure and conf.probability >= min_confidence


def moves_of(score: ReplyScore, min_confidence: float = CONFRONT_MIN_CONFIDENCE) -> list[Code]:
    """Codes present in the reply (probability >= 0.5, or a dimension rated medium/high);
    confronting moves count only when the confrontation rating is confident."""
    found = {hit.code for hit in score.codes if hit.probability >= HIT_THRESHOLD}
    if Code.HOSTILITY in found:
        found.add(Code.CONFRONT)
    if not confident_confrontation(score, min_confidence):
        found -= {Code.CONFRONT, Code.PERSUADE}
    elif score.confrontation.level in _LEVEL_HIT:
        found.add(Code.CONFRONT)
    if score.process_comment.present and score.process_comment.level in _LEVEL_HIT:
        found.add(Code.PROCESS_COMMENT)
    return [code for code in MAIN_MOVE_ORDER if code in found]


def main_move(score: ReplyScore, min_confidence: float = CONFRONT_MIN_CONFIDENCE
              ) -> Code | None:
    moves = moves_of(score, min_confidence)
    return moves[0] if moves else None


def owns_misstep(score: ReplyScore) -> bool:
    """The trainee takes responsibility for a misstep ("I pushed too hard") - a repair move."""
    return bool(_MISSTEP.search(score.reply))


def strong_confrontation(score: ReplyScore,
                         min_confidence: float = CONFRONT_MIN_CONFIDENCE) -> bool:
    return (confident_confrontation(score, min_confidence)
            and score.confrontation.level == "high")
