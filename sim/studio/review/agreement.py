"""Cohen's kappa between the AI and the instructors, per dimension and per code, with counts and
an analytic 95% confidence interval.

Each rating override is one pair of judgements about one reply: what the AI said (present or
absent) and what the instructor settled on. Kappa is chance-corrected agreement; its standard
error is the large-sample one of Fleiss, Cohen and Everitt (1969), which does not assume kappa
is zero (the null-hypothesis standard error would understate the width). Pure functions.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlmodel import SQLModel

Z95 = 1.959963984540054
SMALL_N = 20


@dataclass(frozen=True)
class Table:
    """A 2x2 table: a = AI present (rows), b = instructor present (columns)."""

    both: int = 0
    ai_only: int = 0
    instructor_only: int = 0
    neither: int = 0

    @property
    def n(self) -> int:
        return self.both + self.ai_only + self.instructor_only + self.neither


def tabulate(pairs: Iterable[tuple[bool, bool]]) -> Table:
    both = ai_only = inst_only = neither = 0
    for ai, inst in pairs:
        if ai and inst:
            both += 1
        elif ai:
            ai_only += 1
        elif inst:
            inst_only += 1
        else:
            neither += 1
    return Table(both, ai_only, inst_only, neither)


class KappaRow(SQLModel):
    name: str
    n: int
    both: int
    ai_only: int
    instructor_only: int
    neither: int
    observed: float | None
    expected: float | None
    kappa: float | None
    ci_low: float | None
    ci_high: float | None
    note: str | None = None


def kappa(table: Table) -> tuple[float | None, float | None, float | None, float | None]:
    """(kappa, standard error, observed, expected agreement); kappa is None when undefined
    (no ratings, or both raters used one category only, so chance agreement is 1)."""
    n = table.n
    if n == 0:
        return None, None, None, None
    p = [[table.both / n, table.instructor_only / n], [table.ai_only / n, table.neither / n]]
    # p[i][j]: instructor category i (0 present, 1 absent) x AI category j; marginals:
    ai = [p[0][0] + p[1][0], p[0][1] + p[1][1]]
    inst = [p[0][0] + p[0][1], p[1][0] + p[1][1]]
    observed = p[0][0] + p[1][1]
    expected = ai[0] * inst[0] + ai[1] * inst[1]
    if expected >= 1.0 - 1e-12:
        return None, None, observed, expected
    k = (observed - expected) / (1 - expected)
    # Fleiss, Cohen & Everitt (1969), eq. 13: the large-sample variance of kappa
    diag = sum(p[i][i] * (1 - (inst[i] + ai[i]) * (1 - k)) ** 2 for i in (0, 1))
    off = (1 - k) ** 2 * sum(p[i][j] * (ai[i] + inst[j]) ** 2
                             for i in (0, 1) for j in (0, 1) if i != j)
    var = (diag + off - (k - expected * (1 - k)) ** 2) / (n * (1 - expected) ** 2)
    return k, math.sqrt(max(var, 0.0)), observed, expected


def row(name: str, pairs: Sequence[tuple[bool, bool]]) -> KappaRow:
    table = tabulate(pairs)
    k, se, observed, expected = kappa(table)
    note = None
    low = high = None
    if table.n == 0:
        note = "no ratings yet"
    elif k is None:
        note = ("both always said 'absent'" if table.neither == table.n else
                "both always said 'present'" if table.both == table.n else None)
        note = (note or "no variation") + ": kappa is undefined"
    elif se == 0:  # no interval: the sample holds no disagreement, or one side never varied
        ai_fixed = table.both + table.ai_only in (0, table.n)
        who = "the AI" if ai_fixed else "the instructors"
        note = ("full agreement: no interval can be estimated without a disagreement"
                if k >= 1 else f"{who} gave the same answer every time: kappa is 0 by "
                "construction and has no interval; rate more varied turns")
    else:
        assert se is not None
        low, high = max(-1.0, k - Z95 * se), min(1.0, k + Z95 * se)
        if table.n < SMALL_N:
            note = f"only {table.n} ratings: the interval is a rough guide"
    return KappaRow(name=name, n=table.n, both=table.both, ai_only=table.ai_only,
                    instructor_only=table.instructor_only, neither=table.neither,
                    observed=_r(observed), expected=_r(expected), kappa=_r(k),
                    ci_low=_r(low), ci_high=_r(high), note=note)


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
