"""What the client heard: the trainee's move, its topic, and what it means for the relationship.

The scorer rates *how* a reply is made (codes and dimensions); a client also hears *what* it is
about ("how do you sleep?" is a question about sleep) and a few things a clinician would not
miss: a direct question about suicide, contempt, a promise nobody can keep, blame dressed up as
a question, and how specifically a therapist owns a misstep. The scripted voice answers from
this reading and the state rules use it for risk, abuse and repair.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum

from scoring.types import Code, ReplyScore
from sim.engine import fields as fx
from sim.engine import lexicon as lx
from sim.engine import topic_words as tw
from sim.engine.moves import CONFRONT_MIN_CONFIDENCE, moves_of
from sim.engine.texting import plain
from sim.personas.schema import Persona, Topic

FLAG_CODE_MIN = 0.6  # a teaching-flag code from the scorer counts at this probability
# A reply whose words are plainly warm (autonomy, validation, a reflection) and carry nothing
# confronting is taken as a confrontation only when the scorer is this sure: two readings must
# agree before a warm line can hurt the client.
WARM_CONFRONT_MIN = 0.9
# The scorer's risk-question head alone makes a question a risk question at this probability
# (clinically a missed risk question costs more than a risk answer to a near miss).
RISK_CODE_MIN = 0.7
# A question the scorer rates as a comment on the relationship is about the therapist.
PROCESS_QUESTION_MIN = 0.8


class Act(StrEnum):
    """The one move the client answers (the reply's other moves still move the state)."""

    ABUSE = "abuse"
    OFF_TASK = "off_task"
    RISK_QUESTION = "risk_question"
    SAFETY_PLAN = "safety_plan"
    BLAME = "blame"
    CONFRONT = "confront"
    REPAIR = "repair"
    ADVICE = "advice"
    QUESTION = "question"
    AFFIRM = "affirm"
    AUTONOMY = "autonomy"
    REFLECTION = "reflection"
    COLLABORATION = "collaboration"
    OTHER = "other"


@dataclass(frozen=True)
class Heard:
    """The client's reading of one trainee reply."""

    act: Act
    topic: Topic | None = None
    question: str | None = None  # "open" | "closed" | None
    asked: str = ""  # the question sentence itself (a line that echoes a question must fit it)
    said: str = ""  # the whole line (a reaction that echoes a word must find it there)
    reaction: Code | None = None  # the persona reaction bank this act draws on
    risk_topic: bool = False  # the reply is about risk at all (asks, reflects or names it)
    risk_direct: bool = False  # asks about suicide / self-harm / harm in plain words
    risk_kind: bool = True  # asked without minimising, leading or blaming
    harm_by_others: bool | None = None  # about others harming the client (None: not known)
    safety: bool = False
    abuse: bool = False
    promise: bool = False
    blame: bool = False
    owns: float = 0.0  # how clearly the trainee takes responsibility for a misstep (0-1)
    specific: float = 0.0  # how specifically it names what happened (0-1)
    invites: bool = False  # invites the client to talk about the relationship
    off_task: bool = False
    overruled: bool = False  # the scorer's confrontation rating was set aside as a misreading


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+|\n+", text.strip())
    return [p for p in (x.strip() for x in parts) if p]


def _question(text: str) -> tuple[str | None, str]:
    """('open'|'closed'|None, the question sentence): the last sentence that asks."""
    asked = [s for s in _sentences(text) if s.endswith("?") or lx.QUESTION_START.match(s)
             or lx.WH_START.match(s)]
    if not asked:
        return None, ""
    last = asked[-1]
    kind = "open" if lx.OPEN_QUESTION.search(last) else "closed"
    return kind, last


def topic_of(text: str, persona: Persona | None = None) -> Topic | None:
    """The common topic a text is about. Each topic's own words count fully, softer cues add
    up ("what time do you get up" is about the day); the highest total wins, and between equals
    the topic named first ("Does your family know you're coming here?" is about family). This
    client's own words (Dylan's 'maths') count as their topic's."""
    low = text.lower()
    strong: dict[Topic, float] = {}
    cues: dict[Topic, float] = {}
    first: dict[Topic, int] = {}

    def add(topic: Topic, weight: float, at: int, into: dict[Topic, float]) -> None:
        into[topic] = into.get(topic, 0.0) + weight
        first[topic] = min(first.get(topic, at), at)

    if persona is not None:
        for topic, spec in persona.voice.topics.items():
            for word in spec.keywords:
                match = re.search(rf"\b{re.escape(word.lower())}\b", low)
                if match:
                    add(topic, tw.STRONG, match.start(), strong)
                    break
    for topic, pattern in tw.TOPICS:
        match = pattern.search(low)
        if match:
            strong[topic] = tw.STRONG
            first[topic] = min(first.get(topic, match.start()), match.start())
    for topic, pattern, weight in tw.CUES:
        match = pattern.search(low)
        if match:
            add(topic, weight, match.start(), cues)
    if ("you" in low or low.rstrip().endswith("?")) and (selfs := tw.self_references(low)):
        add(Topic.THERAPIST, tw.THERAPIST_SELF_WEIGHT * selfs, len(low), cues)
    # a topic's own word is as strong as it gets: cues only add up to that, never beyond
    score = {t: max(strong.get(t, 0.0), min(cues.get(t, 0.0), tw.STRONG)) for t in first}
    ranked = sorted(score, key=lambda t: (-score[t], first[t]))
    return ranked[0] if ranked and score[ranked[0]] >= tw.TOPIC_MIN else None


def _repair_reading(text: str, before_text: str) -> tuple[float, float, bool]:
    """(ownership, specificity, invitation) of a repair attempt. `before_text` is what the
    trainee said when the rupture began: echoing it back names the misstep specifically."""
    owns = 0.0
    apology = bool(lx.APOLOGY.search(text))
    if lx.OWNING.search(text):
        owns = 1.0 if apology else 0.7
    elif lx.OWN_VERDICT.search(text):
        owns = 1.0 if apology else 0.4  # "that wasn't fair" is owning beside an apology
    elif apology:
        owns = 0.4
    if lx.CONDITIONAL_APOLOGY.search(text):
        owns = min(owns, 0.2)  # "sorry if you felt..." puts it back on the client
    specific = 0.0
    if owns >= 0.4 and lx.NAMED_MISSTEP.search(text):
        specific += 0.4
    if lx.SPECIFIC_MOMENT.search(text):
        specific += 0.5
    if lx.NAMED_EFFECT.search(text):
        specific += 0.4
    if before_text:
        said = set(lx.content_words(before_text))
        echoed = said & set(lx.content_words(text))
        if len(echoed) >= 2:
            specific += 0.3
    return owns, min(1.0, specific), bool(lx.INVITE.search(text))


# the client's own view said back ("part of you thinks this is pointless", "you feel like you're
# wasting your time"): the words of a confrontation, but the move is a reflection
_REPORTED_VIEW = re.compile(
    r"(?:\bpart of you|\byou(?:'ve| have)? (?:think|thinks|feel|feels|felt|figure|figures|reckon"
    r"|say|said|told me|mean|believe|worry|wonder|been told|heard)|\bsounds? like you"
    r"|\byou(?:'re| are) (?:saying|telling me|wondering|worried|thinking|feeling)"
    r"|\bpeople (?:say|tell you|told you|keep telling you)|\b(?:they|he|she) (?:say|says|said"
    r"|told you))\b(?:(?!\b(?:but|yet|though|although|however)\b)[^.?!])*$", re.IGNORECASE)


_YOU = re.compile(r"\b(?:you|your|you're|yours)\b", re.IGNORECASE)


def _said_outright(pattern: re.Pattern[str], text: str) -> bool:
    """A match of `pattern` that is not the client's view reported back."""
    return any(not _REPORTED_VIEW.search(text[:m.start()]) for m in pattern.finditer(text))


def _owned_misstep(text: str, owns: float) -> bool:
    """An apology that owns and names the misstep, every sentence of it about the therapist's
    own act or an invitation (a sentence that says something new about the client, such as
    "You are still making excuses though.", is a fresh jab and keeps the rating)."""
    if owns < 1.0 or not lx.NAMED_MISSTEP.search(text):
        return False
    own = (lx.NAMED_MISSTEP, lx.OWNING, lx.OWN_VERDICT, lx.APOLOGY, lx.INVITE)
    return all(any(p.search(s) for p in own) or not _YOU.search(s) for s in _sentences(text))


def _code(score: ReplyScore, code: Code, floor: float = FLAG_CODE_MIN) -> bool:
    return any(h.code == code and h.probability >= floor for h in score.codes)


_PLAN_WORDS = re.compile(r"(?:plan|steps|strateg)", re.IGNORECASE)
_HARD_TIMES = re.compile(r"\b(?:urges?|thoughts?|feelings?|crisis|unsafe|dark|worse|bad (?:night"
                         r"|day|time|patch)s?|overwhelm\w*)\b", re.IGNORECASE)


def _open_by_score(score: ReplyScore) -> bool:
    """The scorer reads an open question where the word patterns saw a closed one."""
    prob = {h.code: h.probability for h in score.codes}
    return prob.get(Code.QUESTION_OPEN, 0.0) >= 0.7 and (
        prob.get(Code.QUESTION_OPEN, 0.0) > prob.get(Code.QUESTION_CLOSED, 0.0))


def _advising(text: str) -> bool:
    """Tells the client what to do: a word list, a field, or a sentence opening on a verb."""
    if fx.NOT_ADVICE.search(text):
        return False
    statements = [s for s in _sentences(text) if not s.endswith("?")]
    return bool(lx.ADVICE.search(text) or any(
        fx.ADVICE.search(s) or fx.IMPERATIVE.match(s) for s in statements))


def listen(
    text: str,
    score: ReplyScore,
    persona: Persona | None = None,
    min_confidence: float = CONFRONT_MIN_CONFIDENCE,
    rupture_text: str = "",
    cue: str = "",
    risk_in_session: bool = False,
) -> Heard:
    """Reads one trainee reply. `rupture_text` is the trainee line that caused the current
    rupture (if any), so a repair that names it counts as specific; `cue` is the client's
    unanswered hint at risk, so a question that picks up its words is a question about risk;
    `risk_in_session`: risk has come up, so "a plan if..." is a safety plan."""
    text = plain(text)  # "r u ok" reads as "are you okay"
    moves = set(moves_of(score, min_confidence))
    q_kind, q_text = _question(text)
    if q_kind is None and Code.QUESTION_OPEN in moves:
        q_kind, q_text = "open", text
    elif q_kind is None and Code.QUESTION_CLOSED in moves:
        q_kind, q_text = "closed", text
    elif q_kind == "closed" and _open_by_score(score):
        q_kind = "open"  # "If you weren't funny, who would you be?"
    abuse = lx.is_abuse(text, fx.ABUSE) or _code(score, Code.HOSTILITY, 0.7)
    off_task = bool(lx.OFF_TASK.search(text) or fx.OFF_TASK.search(text))
    risk_direct = bool(lx.RISK_DIRECT.search(text) or fx.RISK.search(text)) or (
        q_kind is not None and _code(score, Code.RISK_QUESTION, RISK_CODE_MIN))
    echoes_cue = bool(cue) and len(set(lx.content_words(text)) & set(lx.content_words(cue))) >= 2
    risk_topic = risk_direct or echoes_cue or bool(lx.RISK_WORDS.search(text))
    risk_asks = risk_topic and (q_kind is not None or _code(score, Code.RISK_QUESTION))
    minimising = bool(lx.MINIMISING_RISK.search(text)) or _code(score, Code.MINIMIZING)
    # "a plan if this doesn't work out" is a safety plan only once risk is in the conversation;
    # "keep yourself safe", "who could you phone", "when the urges come back" always are
    planning = [m.group(0) for m in fx.SAFETY.finditer(text)]
    safety = bool(lx.SAFETY_PLAN.search(text)) or any(
        not _PLAN_WORDS.match(hit) or risk_topic or risk_in_session or bool(cue)
        or bool(_HARD_TIMES.search(text)) for hit in planning)
    blame = q_kind is not None and bool(lx.BLAME_QUESTION.search(text))
    promise = bool(lx.PROMISE.search(text)) or _code(score, Code.UNKEEPABLE_PROMISE)
    # the question's own sentence names its topic; failing that, the sentence before it does
    # ("I'm curious about your workplace. What's it like there?")
    topic = topic_of(q_text or text, persona) or (topic_of(text, persona) if q_text else None)
    if q_kind and lx.THERAPIST_SUBJECT.search(q_text or text):
        topic = Topic.THERAPIST  # "Do you think I drink?" is about the therapist, not drinking
    if q_kind and topic is None and _code(score, Code.PROCESS_COMMENT, PROCESS_QUESTION_MIN):
        topic = Topic.THERAPIST
    owns, specific, invites = _repair_reading(text, rupture_text)
    # naming one's own words ("when I called it denial") or one's own act ("I just called what
    # you said excuses without listening") is no confrontation
    quoting = (owns >= 0.4 and bool(lx.QUOTING.search(text))) or _owned_misstep(text, owns)
    worded = bool(_said_outright(lx.CONFRONTING, text) or (
        _said_outright(fx.CONFRONT, text) and not fx.HEDGED.search(text))) and not quoting
    affirming = bool(lx.AFFIRMING.search(text) or fx.AFFIRM.search(text))
    autonomy = bool(lx.AUTONOMY.search(text) or fx.AUTONOMY.search(text)) and not (
        fx.NOT_AUTONOMY.search(text))
    warm = (autonomy or affirming or bool(lx.REFLECTING.search(text))) and not (
        worded or blame)
    # a question about a topic (past therapy, work, sleep...) with no confronting, blaming or
    # advising words is a question, unless the scorer is as sure as for a warm line: in
    # context the scorer read "Have you ever seen a counsellor before?" as a confrontation
    # (0.77), and the client ruptured over a plain question
    advising = _advising(text)
    soft_advice = bool(lx.SOFT_ADVICE.search(text))
    asks_advice = bool(lx.ADVICE_QUESTION.search(text))
    plain_question = (q_kind is not None and topic is not None
                      and not (worded or blame or advising or soft_advice or asks_advice))
    overruled = Code.CONFRONT in moves and (quoting or (
        (warm or plain_question) and score.confrontation.probability < WARM_CONFRONT_MIN))
    if overruled:
        moves -= {Code.CONFRONT, Code.PERSUADE}
    confronting = Code.CONFRONT in moves or worded
    base = Heard(
        act=Act.OTHER, question=q_kind, asked=q_text, said=text, risk_topic=risk_topic,
        risk_direct=risk_direct, harm_by_others=bool(lx.HARM_BY_OTHERS.search(text)),
        risk_kind=not (minimising or abuse or blame or confronting), safety=safety, abuse=abuse,
        promise=promise, blame=blame, owns=owns, specific=specific, invites=invites,
        off_task=off_task, overruled=overruled)
    if abuse:
        return replace(base, act=Act.ABUSE, reaction=Code.HOSTILITY)
    if off_task and not risk_topic:
        return replace(base, act=Act.OFF_TASK)
    if safety and not confronting:
        return replace(base, act=Act.SAFETY_PLAN)
    if risk_asks or (risk_direct and not confronting):
        return replace(base, act=Act.RISK_QUESTION)
    if blame:
        return replace(base, act=Act.BLAME, reaction=Code.CONFRONT)
    if confronting:
        return replace(base, act=Act.CONFRONT, reaction=Code.CONFRONT,
                       topic=topic if q_kind else None)
    reflecting = bool(lx.REFLECTING.search(text))
    scorer_process = Code.PROCESS_COMMENT in moves and not (
        reflecting or q_kind or affirming or autonomy)
    if (owns >= 0.4 or lx.PROCESS.search(text) or fx.PROCESS.search(text)
            or (invites and specific > 0) or scorer_process):
        return replace(base, act=Act.REPAIR, reaction=Code.PROCESS_COMMENT)
    if Code.PERSUADE in moves or (advising and not autonomy) or asks_advice or (
            soft_advice and topic is None and q_kind != "open"):
        return replace(base, act=Act.ADVICE, reaction=Code.PERSUADE)
    if q_kind is not None and not lx.PERMISSION.search(text):
        if lx.COLLABORATE.search(q_text) and topic is None:
            return replace(base, act=Act.COLLABORATION, reaction=Code.SEEKING_COLLABORATION)
        code = Code.QUESTION_OPEN if q_kind == "open" else Code.QUESTION_CLOSED
        return replace(base, act=Act.QUESTION, topic=topic, reaction=code)
    if Code.PERSUADE_WITH_PERMISSION in moves or lx.PERMISSION.search(text):
        return replace(base, act=Act.ADVICE, reaction=Code.PERSUADE_WITH_PERMISSION)
    reflection = (Code.REFLECTION_COMPLEX if Code.REFLECTION_COMPLEX in moves
                  else Code.REFLECTION_SIMPLE)
    if lx.LEADING_REFLECTION.search(text):
        return replace(base, act=Act.REFLECTION, topic=topic, reaction=reflection)
    if affirming:
        return replace(base, act=Act.AFFIRM, reaction=Code.AFFIRM)
    if autonomy:
        return replace(base, act=Act.AUTONOMY, reaction=Code.EMPHASIZING_AUTONOMY)
    if reflecting:
        return replace(base, act=Act.REFLECTION, topic=topic, reaction=reflection)
    if Code.GIVING_INFORMATION in moves:
        return replace(base, act=Act.ADVICE, reaction=Code.GIVING_INFORMATION)
    if Code.AFFIRM in moves or score.has(Code.AFFIRM):
        return replace(base, act=Act.AFFIRM, reaction=Code.AFFIRM)
    if Code.EMPHASIZING_AUTONOMY in moves or score.has(Code.EMPHASIZING_AUTONOMY):
        return replace(base, act=Act.AUTONOMY, reaction=Code.EMPHASIZING_AUTONOMY)
    if moves & {Code.REFLECTION_SIMPLE, Code.REFLECTION_COMPLEX}:
        return replace(base, act=Act.REFLECTION, topic=topic, reaction=reflection)
    if Code.SEEKING_COLLABORATION in moves or lx.COLLABORATE.search(text):
        return replace(base, act=Act.COLLABORATION, reaction=Code.SEEKING_COLLABORATION)
    return replace(base, act=Act.OTHER, topic=topic)
