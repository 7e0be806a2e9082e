"""The rating heads every engine predicts, and how labels in the codebook map onto them.

One list shared by training and run time, so the two can never drift apart. A head is binary:
a behaviour code or teaching flag is present, or a dimension is present (level >= 1). The code
heads follow scoring/CODEBOOK.md; `dim_*` heads are the four dimensions as labellers rated them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from scoring.types import DIMENSIONS, Code

CODE_HEADS: tuple[str, ...] = (
    "reflection", "reflection_complex", "question", "question_open", "giving_information",
    "confront", "persuade", "persuade_with_permission", "affirm", "seeking_collaboration",
    "emphasizing_autonomy", "process_comment", "risk_question", "minimizing", "hostility",
    "unkeepable_promise",
)
DIM_HEADS: tuple[str, ...] = tuple(f"dim_{d}" for d in DIMENSIONS)
HEADS: tuple[str, ...] = CODE_HEADS + DIM_HEADS

Labels = dict[str, int | None]


def labels_from_codes(codes: Iterable[str]) -> Labels:
    """Code-head labels from an exhaustive list of codes (unknown codes are an error)."""
    cs = set(codes)
    allowed = {c.value for c in Code}
    unknown = cs - allowed
    if unknown:
        raise ValueError(f"unknown codes {sorted(unknown)}; allowed: {sorted(allowed)}")
    refl = bool(cs & {"reflection_simple", "reflection_complex"})
    out: Labels = {
        "reflection": int(refl),
        "reflection_complex": int("reflection_complex" in cs) if refl else None,
        "question": int(bool(cs & {"question_open", "question_closed"})),
        "question_open": int("question_open" in cs),
    }
    for head in CODE_HEADS[4:]:
        out[head] = int(head in cs)
    return out


def labels_from_rating(codes: Iterable[str], levels: Mapping[str, int]) -> Labels:
    """Every head from one codebook rating: codes plus the four dimension levels (0-3)."""
    out = labels_from_codes(codes)
    for dim in DIMENSIONS:
        level = levels.get(dim)
        out[f"dim_{dim}"] = None if level is None else int(level >= 1)
    return out


def dimensions_from_codes(codes: Iterable[str]) -> dict[str, int]:
    """Dimension presence implied by codes alone, for sets labelled before the codebook had
    dimension levels (the project's first labelled set). Follows the codebook's rules."""
    cs = set(codes)
    confronting = bool(cs & {"confront", "persuade", "hostility"})
    return {
        "validation": int(bool(cs & {"reflection_simple", "reflection_complex", "affirm"})
                          and "minimizing" not in cs),
        "curiosity": int(bool(cs & {"question_open", "seeking_collaboration"})
                         and not confronting),
        "confrontation": int(confronting),
        "process_comment": int("process_comment" in cs),
    }
