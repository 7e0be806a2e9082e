"""From calibrated head probabilities to a rating: codes, four dimensions, evidence, reasons.

Pure and engine-free: the offline scorer passes the whole reply's probabilities and each
sentence's, and the codebook's decision rules are applied here, once, for every engine variant.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from scoring.calibration import UNSURE_BAND
from scoring.offline.cues import CUES
from scoring.types import Code, CodeHit, DimensionScore, Evidence, Level

Probs = Mapping[str, float]

# the code head that reports each code, and the codes that follow one-to-one from a head
SIMPLE_CODES: tuple[Code, ...] = (
    Code.AFFIRM, Code.SEEKING_COLLABORATION, Code.EMPHASIZING_AUTONOMY,
    Code.GIVING_INFORMATION, Code.PERSUADE, Code.PERSUADE_WITH_PERMISSION, Code.CONFRONT,
    Code.PROCESS_COMMENT, Code.RISK_QUESTION, Code.MINIMIZING, Code.HOSTILITY,
    Code.UNKEEPABLE_PROMISE,
)
CODE_HEAD: dict[Code, str] = {c: c.value for c in SIMPLE_CODES} | {
    Code.QUESTION_OPEN: "question_open", Code.QUESTION_CLOSED: "question",
    Code.REFLECTION_SIMPLE: "reflection", Code.REFLECTION_COMPLEX: "reflection_complex"}
CONFRONTING = frozenset({Code.CONFRONT, Code.PERSUADE, Code.HOSTILITY})
REFLECTIONS = frozenset({Code.REFLECTION_SIMPLE, Code.REFLECTION_COMPLEX})

REASON = {
    "reflection": "mirrors what the client said",
    "reflection_complex": "adds meaning or feeling beyond the client's words",
    "question": "asks the client a question",
    "question_open": "an open question that invites the client to say more",
    "giving_information": "offers information",
    "confront": "argues with, corrects or labels the client",
    "persuade": "pushes the therapist's own view or advice without being asked",
    "persuade_with_permission": "offers a view after asking permission",
    "affirm": "affirms a strength or effort",
    "seeking_collaboration": "invites the client to shape the work",
    "emphasizing_autonomy": "emphasizes the client's choice",
    "process_comment": "comments on what is happening between you, here and now",
    "risk_question": "asks directly about safety (suicide, self-harm or harm from others)",
    "minimizing": "shrinks or dismisses the client's experience, or reassures too soon",
    "hostility": "shows contempt, mockery or hostility toward the client",
    "unkeepable_promise": "promises something a therapist cannot guarantee",
}
ABSENT = {
    "validation": "no reflection, affirmation or acceptance of the client's experience",
    "curiosity": "no open question or invitation to explore",
    "confrontation": "no arguing, pushing, lecturing or hostility",
    "process_comment": "no comment on the conversation itself",
}
# which heads speak for a dimension, and which cues may word its reason
DIM_HEADS: dict[str, tuple[str, ...]] = {
    "validation": ("reflection_complex", "reflection", "affirm"),
    "curiosity": ("question_open", "seeking_collaboration"),
    "confrontation": ("hostility", "confront", "persuade"),
    "process_comment": ("process_comment",),
}
CUE_FAMILY: dict[str, tuple[str, ...]] = {
    "confront": ("label", "truth_claim", "yes_but", "counter", "certainty", "moralize", "insist",
                 "sarcasm", "minimize_client", "gotcha_numbers", "rhetorical", "warning"),
    "persuade": ("directive", "why_dont_you", "advice"),
    "process_comment": ("process_own", "process_notice", "process_check", "process_here"),
}


def level_for(probability: float, present: bool) -> Level:
    """Level of a present dimension from its calibrated probability."""
    if not present:
        return "none"
    return "high" if probability >= 0.85 else "medium" if probability >= 0.65 else "low"


def unsure(probability: float) -> bool:
    return UNSURE_BAND[0] <= probability <= UNSURE_BAND[1]


def decide_codes(p: Probs, thresholds: Probs) -> set[Code]:
    """Codes present by each head's threshold, then the codebook's consistency rules."""
    hit = {h: p[h] >= thresholds[h] for h in p}
    codes: set[Code] = {c for c in SIMPLE_CODES if hit[c.value]}
    if hit["question_open"]:
        codes.add(Code.QUESTION_OPEN)
    elif hit["question"]:
        codes.add(Code.QUESTION_CLOSED)
    if hit["reflection"]:
        codes.add(Code.REFLECTION_COMPLEX if hit["reflection_complex"]
                  else Code.REFLECTION_SIMPLE)
    if Code.HOSTILITY in codes:  # hostility is confrontation at its highest level
        codes.add(Code.CONFRONT)
    if Code.PERSUADE in codes and Code.PERSUADE_WITH_PERMISSION in codes:
        codes.discard(Code.PERSUADE if p["persuade"] < p["persuade_with_permission"]
                      else Code.PERSUADE_WITH_PERMISSION)
    return codes


def decide_dimensions(p: Probs, thresholds: Probs, codes: set[Code]) -> dict[str, bool]:
    """Dimension presence from the dimension heads, kept consistent with the codes."""
    on = {d: p[f"dim_{d}"] >= thresholds[f"dim_{d}"] for d in DIM_HEADS}
    if Code.HOSTILITY in codes:  # contempt is confrontation and never validation (codebook)
        on["confrontation"] = True
        on["validation"] = False
    if Code.RISK_QUESTION in codes and Code.HOSTILITY not in codes:
        on["confrontation"] = False  # a risk question is never confrontation (codebook)
    if Code.MINIMIZING in codes:
        # minimizing and false reassurance are not validation, even beside a reflection (the
        # codebook's table; the labellers gave validation to 7 of 741 minimizing replies)
        on["validation"] = False
    return on


def reconcile(codes: set[Code], dims: dict[str, bool], p: Probs) -> set[Code]:
    """Codes follow the dimension verdicts: the dimension decides, the codes name it."""
    out = set(codes)
    if dims["confrontation"]:
        if not out & CONFRONTING:
            out.add(Code.CONFRONT if p["confront"] >= p["persuade"] else Code.PERSUADE)
    else:
        out -= CONFRONTING
    if not dims["process_comment"]:
        out.discard(Code.PROCESS_COMMENT)
    elif Code.PROCESS_COMMENT not in out:
        out.add(Code.PROCESS_COMMENT)
    if dims["confrontation"] and not dims["validation"]:
        out -= REFLECTIONS  # a "reflection" whose point is a jab is confront only
    if Code.HOSTILITY in out:
        out.discard(Code.AFFIRM)  # praise inside contempt is not an affirmation
    return out


def evidence_for(text: str, spans: Sequence[tuple[int, int]], sentence_probs: Sequence[Probs],
                 heads: Sequence[str]) -> Evidence | None:
    """The sentence with the highest probability for any of `heads` (the whole reply when it
    has one sentence)."""
    if not spans:
        return None
    if len(spans) == 1 or not sentence_probs:
        s, e = spans[0][0], spans[-1][1]
    else:
        best = max(range(len(spans)), key=lambda k: max(sentence_probs[k][h] for h in heads))
        s, e = spans[best]
    return Evidence(start=s, end=e, text=text[s:e])


def reason_for(head: str, evidence: Evidence | None) -> str:
    """A cue's own words when one of the head's cues is in the evidence; else the head's."""
    family = CUE_FAMILY.get(head, ())
    if evidence is not None and family:
        for cue in CUES:
            if cue.name in family and cue.pattern.search(evidence.text):
                return cue.reason
    return REASON[head]


def dimension_score(dim: str, present: bool, p: Probs, codes: set[Code], text: str,
                    spans: Sequence[tuple[int, int]], sentence_probs: Sequence[Probs]
                    ) -> DimensionScore:
    prob = float(p[f"dim_{dim}"])
    if not present:
        return DimensionScore(present=False, probability=round(prob, 4), level="none",
                              reason=ABSENT[dim], unsure=unsure(prob))
    heads = [h for h in DIM_HEADS[dim] if h in p]
    lead = max(heads, key=lambda h: p[h])
    if dim == "confrontation" and Code.HOSTILITY in codes:
        lead = "hostility"  # the contempt decided the verdict: its confidence is the verdict's
        prob = max(prob, float(p["hostility"]))
    ev = evidence_for(text, spans, sentence_probs, [lead])
    level: Level = "high" if lead == "hostility" else level_for(prob, True)
    return DimensionScore(present=True, probability=round(prob, 4), level=level, evidence=ev,
                          reason=reason_for(lead, ev), unsure=unsure(prob))


def code_hits(codes: set[Code], p: Probs, text: str, spans: Sequence[tuple[int, int]],
              sentence_probs: Sequence[Probs]) -> list[CodeHit]:
    hits = []
    for code in sorted(codes, key=lambda c: list(Code).index(c)):
        head = CODE_HEAD[code]
        prob = p[head]
        if code == Code.REFLECTION_SIMPLE:
            prob = p["reflection"] * (1 - p["reflection_complex"])
        elif code == Code.QUESTION_CLOSED:
            prob = p["question"] * (1 - p["question_open"])
        hits.append(CodeHit(code=code, probability=round(min(max(prob, 0.0), 1.0), 4),
                            evidence=evidence_for(text, spans, sentence_probs, [head])))
    return hits
