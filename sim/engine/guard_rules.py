"""What out-of-character output from a real model looks like, as patterns the guard checks.

Collected from SmolLM2-135M behind the `openai` voice (bench/guard_probes.py): a narrator
("The client is thinking: ..."), an assistant ("I'm here to help you with..."), the therapist's
register, talk of being a character or a model, obeying an off-task order (code, a list, a
poem, a game, a word repeated), and switching language. Every pattern is also run over every
line of every shipped persona, which must all pass (tests/engine/test_guard_rules.py).
"""

from __future__ import annotations

import re
from itertools import pairwise

IC = re.IGNORECASE
NARRATION_VERBS = (
    r"(?:sighs?|shrugs?|nods?|glances?|pauses?|hesitates?|replies|replied|responds?|responded"
    r"|smiles?|smiled|frowns?|frowned|leans?|crosses|stares?|shifts?|looks? (?:away|down|up|at)"
    r"|says?|said|asks?|asked|thinks?|thought|feels?|felt|wonders?|answers?|answered"
    r"|continues?|begins?|explains?|adds?|mutters?|whispers?|laughs?|chuckles?|rolls?"
    r"|takes? a (?:deep )?breath|is (?:thinking|feeling|silent|quiet))"
)
ASSISTANT = re.compile(
    r"\b(i(?:'m| am) (?:here|happy|glad) to (?:help|assist|support)|how (?:can|may) i (?:help"
    r"|assist)|i can help you(?: with)?|i(?:'d| would) be (?:happy|glad) to|feel free to"
    r"|let me know if (?:you (?:need|have|want|would like)|there(?:'s| is) anything)"
    r"|is there anything else (?:i can|you(?:'d| would) like me to|you need)"
    r"|i hope (?:this|that) helps|happy to help"
    r"|here(?:'s| is| are) (?:a|an|the|some|your|my) (?:\w+ )?"
    r"(?:list|code|example|poem|story|translation|summary|answer|response|version|breakdown|steps)"
    r"|(?:sure|certainly|absolutely|of course)[,!.] (?:here|i(?:'ll| will| can)|let me)"
    r"|as an? (?:ai|assistant|language model|helpful)|it(?:'s| is) important to (?:remember|note"
    r"|understand)|(?:^|[.!?]\s)remember,? that you|you(?:'re| are) not alone in this"
    r"|i understand (?:how|that) you(?:'re| are)? feel|(?:help|assist) (?:you )?with whatever"
    r"|(?:ready|here) to help (?:you|with)|i(?:'ll| will) be here to help|here to assist"
    r"|you(?:'ve| have) come to the right place|(?:discuss|talk about|explore) the topic of"
    r"|you(?:'re| are) free to explore"
    # seen with SmolLM2 on probe set 5 (ordinary turns): an assistant's disclaimers and offers
    r"|(?:i )?(?:don't|do not) have the (?:ability|capacity|means) to|i can offer you"
    r"|if you need anything else|i(?:'m| am) always (?:happy|glad) to|i(?:'ll| will) (?:try to )?"
    r"help you with|i can do (?:it|that|this) for you"
    r"|(?:talk|chat) about whatever you (?:want|like)"
    r"|i(?:'m| am) here for you"
    # probe set 6: a help desk's courtesies
    r"|sorry for the inconvenience|(?:glad|happy) to help|in any way (?:i can|that i can|that)"
    r"|everything in my power|here(?:'s| is) a (?:possible|short|quick|suggested) "
    r"|what (?:can|could) i do for you|anything you(?:'d| would) like)", IC)
THERAPIST = re.compile(
    r"\b(how does (?:that|this|it) make you feel|what brings you (?:in|here)"
    r"|it sounds like you(?:'re| are) (?:feeling|going through|struggling|dealing|carrying"
    r"|experiencing)|tell me more about (?:your|how you|what you)"
    r"|i hear (?:that )?you(?:'re| are) (?:feeling|saying)"
    r"|in our (?:next )?session|as your (?:therapist|counsell?or)|let(?:'s| us) explore"
    r"|how (?:are|have) you been feeling|what (?:would|do) you (?:like|want) to (?:work on|focus"
    r" on|talk about)|i(?:'m| am) (?:a|an|your|the) (?:[\w-]+ ){0,2}(?:psychologist|therapist"
    r"|counsell?or|psychiatrist|psychotherapist|social worker)\b"
    r"|my job is to (?:help|listen|support)|i(?:'d| would) love to hear (?:more )?about your"
    r"|being a (?:therapist|counsell?or|psychologist)|i(?:'d| would) like to hear about your"
    r"|proceed with (?:the|our|this) session|\bmy (?:next |new )?clients?)\b", IC)
# A question about "your mother/your wedding": the model has taken the therapist's seat.
FAMILY_QUESTION = re.compile(
    r"\byour (?:mother|father|mum|mom|dad|parents|family|wife|husband|son|daughter|kids"
    r"|children|childhood|wedding|brother|sister)\b[^.?!]*\?", IC)
SELF_AS_MODEL = re.compile(
    r"\b((?:i(?:'m| am)|as) (?:just |only |merely )?(?:a |an )?(?:ai|artificial intelligence"
    r"|bot|chatbot|robot|computer program|program|piece of software|software|language model"
    r"|model|simulation|simulated (?:client|patient|person)|fictional (?:character|person)"
    r"|character|virtual (?:client|person|assistant)|persona|npc)\b(?!-| (?:engineer|developer"
    r"|employee|student|citizen|company|team|job|nerd|person|of|who|that|lead|manager))"
    r"|(?:my|your) (?:character|persona|system prompt|prompt|programming|training data)\b"
    r"|the (?:system prompt|prompt|training data|system message)\b|my instructions (?:say|are"
    r"|tell)|(?:my|the) (?:developers?|creators?) (?:made|programmed|trained|designed|built) me"
    r"|language model|large language|\bllm\b|(?:max|maximum) tokens|token (?:limit|count)"
    r"|trained to (?:respond|answer|talk|say)|real-life character|not a real (?:person|human)"
    r"|tokens? (?:left|remaining)|context window|in[- ]character|out of character"
    r"|break(?:ing)? character|stay(?:ing)? in character|this role-?play|the assistant\b(?! "
    r"(?:nurse|manager|coach|head|principal))|what i(?:'ve| have) (?:been )?trained on"
    r"|(?:you(?:'re| are)|i(?:'m| am)) an ai\b|the character\b|(?:in|with|to|using)"
    r" (?:\d+|one|two|three|four|five) sentences?\b|the (?:sentence|text) (?:is|was) too long"
    r"|\ba \d+-year-old\b|this (?:simulation|conversation is (?:fictional"
    r"|simulated))|\b\w+'s character (?:is|was)\b|\b(?:was|were|am|is) (?:designed|programmed)"
    r" to\b|developer mode|jailbr[eo]ak|(?:not|isn't|is not|aren't|are not) an? ai\b"
    r"|role-?playing\b|\b(?:a|the) (?:second|third|fourth|fifth) sentence\b"
    r"|neural (?:network|net)|trained on (?:text|data|the internet|books)|machine learning"
    r"|i(?:'m| am) not (?:a )?(?:human|real person)\b|(?:in|out of|not in) the role\b"
    r"|\bin (?:the|this) chat\b|\ba full sentence\b)", IC)
CODE = re.compile(
    r"```|^\s*(?:def \w+\(|class \w+[:(]|import \w+$|from \w+ import|function \w*\("
    r"|(?:const|let|var) \w+ =|#include|select \S+ from \w+|public static|<\?php)|print\("
    r"|console\.log|\{\s*\"\w+\"\s*:|^\s*[\[{]\s*$|=>", IC | re.M)
LIST_ITEM = re.compile(r"^\s*(?:[-*\u2022]|\d{1,2}[.)])\s+\S", re.M)
GAME = re.compile(
    r"\b(let(?:'s| us) play|your (?:move|turn)|tic[- ]tac[- ]toe|riddle me|the answer is"
    r"|i(?:'ll| will) go first|score(?:s)? (?:is|are) \d|checkmate|knock,? knock)\b", IC)
ROLE_CHANGE = re.compile(
    r"\b(i(?:'ll| will) (?:now )?(?:act|pretend|role-?play) (?:as )?(?:a|an|your|the)"
    r" (?!client)|i(?:'m| am) now (?:a|an|your|the)\b|(?:new|my new) role|arr+\b|ahoy|matey"
    r"|(?:sure|okay|ok|alright|certainly)[,!.]? (?:i(?:'ll| will) (?:write|play|repeat"
    r"|translate|list)|here you go|let(?:'s| me) (?:play|write))"
    r"|translation:|translated:|in (?:french|spanish|german|italian|portuguese)[:,])", IC)
TASK_PRODUCT = re.compile(
    r"\b(?:a |the )?(?:list|tips|steps|recipe|poem|haiku|story|essay|summary|translation|code"
    r"|version of the game|game) (?:of|for|about|is|goes)\b", IC)
# "You are Mario..." -> "I'm Mario from ...": introducing oneself by a name, when a new role
# was asked for (the client's own name is checked by the caller's names, see off_task).
OTHER_IDENTITY = re.compile(r"(?:^|[.!?]\s+)\W*(?:[Hh]i,? |[Hh]ello,? )?[Ii](?:'m| am)"
                            r" ([A-Z][a-z]+) (?:from|of|the)\b")
# "I'm a DnD Dungeon Master", "I'm a sarcastic stand-up comedian" (probe set 6)
NEW_ROLE = re.compile(r"\bi(?:'m| am) (?:a|an|the|your) (?:[\w-]+ ){0,3}(?:master|comedian"
                      r"|assistant|teacher|narrator|pirate|wizard|detective|bot|coach|supervisor|terminal"
                      r"|captain|tutor|counsell?or|therapist)\b", IC)
GIBBERISH = re.compile(r"([A-Za-z])\1{4,}|\b[A-Z]{9,}\b")
COMPLIANCE_START = re.compile(
    r"^\W*(?:sure|certainly|of course|absolutely|okay,? here|ok,? here|alright,? here"
    r"|here(?:'s| is| you go)|great|no problem)\b", IC)
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)

def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Function words per language: a reply whose words are mostly another language's is a switch.
STOPWORDS: dict[str, frozenset[str]] = {
    "en": _words("the and to of a in is it you that i was for on are with as be this have not"
                    " but what all were when we there can an your which their if do will my me"
                    " so no just don't i'm it's like know he she they"),
    "fr": _words("le la les et est un une des du je tu il elle nous vous ils pas que qui pour"
                    " dans sur avec mais ce cette sont suis être avoir très bien oui non merci"
                    " c'est"),
    "es": _words("el la los las y es un una de del que en por para con no se lo como más pero"
                    " sus yo tú él ella nosotros está estoy muy sí gracias también"),
    "de": _words("der die das und ist nicht ein eine ich du er sie wir ihr mit auf für zu den"
                    " dem des auch sich aber wie noch nur sehr ja nein danke bin"),
    "it": _words("il lo la gli le e è un una di che non per con sono io tu lui lei noi voi ma"
                    " come anche molto sì grazie questo"),
    "pt": _words("o a os as e é um uma de do da que não para com eu você ele ela nós mas como"
                    " muito sim obrigado está são"),
    "nl": _words("de het een en is niet ik jij hij zij wij met op voor van dat die maar ook"
                    " zijn heel ja nee dank"),
    "pl": _words("i w na nie jest to że się z do jak ale czy tak już mnie jestem bardzo"
                    " dziękuję co"),
    "sw": _words("na ya wa ni kwa la za mimi wewe yeye sisi nyinyi sana asante habari"
                    " ndiyo hapana lakini"),
    "vi": _words("và là của có không tôi bạn anh chị em một những các được này cho với"
                    " người rất cảm ơn"),
}
SCRIPTS: tuple[tuple[str, str], ...] = (
    ("ru", "\u0400-\u04ff"), ("el", "\u0370-\u03ff"), ("he", "\u0590-\u05ff"),
    ("ar", "\u0600-\u06ff"), ("hi", "\u0900-\u097f"), ("th", "\u0e00-\u0e7f"),
    ("ko", "\uac00-\ud7af"), ("ja", "\u3040-\u30ff"), ("zh", "\u4e00-\u9fff"),
)


_SCRIPT_CHARS = tuple((code, re.compile(f"[{span}]")) for code, span in SCRIPTS)


def language_of(text: str) -> str | None:
    """The language a reply is mostly in, when it is clearly not English; None otherwise."""
    letters = sum(c.isalpha() for c in text)
    if not letters:
        return None
    for code, chars in _SCRIPT_CHARS:  # one pass per script (this runs on every streamed chunk)
        if len(chars.findall(text)) / letters > 0.2:
            return code
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return None
    english = sum(w in STOPWORDS["en"] for w in words)
    if len(words) < 4:  # "S'il vous plaît." (SmolLM2): two foreign function words, no English
        short = {code: sum(w in stop for w in words) for code, stop in STOPWORDS.items()
                 if code != "en"}
        code = max(short, key=lambda c: short[c])
        return code if short[code] >= 2 and english == 0 else None
    best, hits = None, 0
    for code, stop in STOPWORDS.items():
        if code == "en":
            continue
        count = sum(w in stop for w in words)
        if count > hits:
            best, hits = code, count
    if best is not None and hits >= 3 and hits > 1.5 * english:
        return best
    return None


def repeats_words(text: str) -> bool:
    """A word said over and over (an obeyed 'say X fifty times')."""
    words = [w.lower() for w in _WORD.findall(text)]
    run = 1
    for a, b in pairwise(words):
        run = run + 1 if a == b else 1
        if run >= 6:
            return True
    if len(words) >= 12:
        top = max(words.count(w) for w in set(words))
        return top / len(words) > 0.4
    return False


NONVERBAL = (
    r"(?:sighs?|shrugs?|nods?|glances?|pauses?|hesitates?|replies|replied|responds?|responded"
    r"|smiles?|smiled|frowns?|frowned|leans?|crosses|stares?|shifts?|looks? (?:away|down|up)"
    r"|mutters?|whispers?|chuckles?|takes? a (?:deep )?breath|is (?:thinking|silent|quiet))"
)
_DIRECTION = re.compile(r"\*[^*]{0,60}\*|\([^)]{0,60}\)|\[[^\]]{0,60}\]")


def narrator(text: str, names: list[str]) -> bool:
    """Told about the client instead of said by them: 'The client sighs', 'Dylan is thinking',
    or a reply that opens 'She shrugs and looks away'. Short stage directions in brackets or
    asterisks are the client's own convention and are not read as narration."""
    spoken = _DIRECTION.sub(" ", text)
    labels = "|".join(re.escape(n) for n in ["the client", "the patient", *names] if n)
    third = rf"(?:^|[.!?\"]\s*)(?:{labels})(?:'s)?\s+(?:\w+ly\s+)?{NARRATION_VERBS}\b"
    if re.search(third, spoken, IC):
        return True
    opening = rf"^\W*(?:he|she|they)\s+(?:\w+ly\s+)?{NONVERBAL}\b"
    return bool(re.search(opening, spoken.strip(), IC))


def off_task(text: str, asked_off_task: bool, names: tuple[str, ...] | list[str] = ()
             ) -> str | None:
    """Why a reply obeys an off-task order, or None. Stricter when the therapist asked for one."""
    if CODE.search(text):
        return "wrote code or data"
    if len(LIST_ITEM.findall(text)) >= 2:
        return "wrote a list"
    if GAME.search(text):
        return "played a game"
    if ROLE_CHANGE.search(text):
        return "took on another role or task"
    if repeats_words(text):
        return "repeated words on demand"
    if asked_off_task and COMPLIANCE_START.search(text):
        return "agreed to an off-task request"
    if asked_off_task and text.count("\n") >= 2:
        return "produced a text, not a spoken reply"
    own = {n.lower() for name in names for n in name.split()}
    if asked_off_task and any(m.group(1).lower() not in own
                              for m in OTHER_IDENTITY.finditer(text)):
        return "took on another identity"
    if asked_off_task and NEW_ROLE.search(text):
        return "took on the role it was asked to play"
    if asked_off_task and TASK_PRODUCT.search(text):
        return "produced what an off-task request asked for"
    if GIBBERISH.search(text):
        return "not speech (a letter held or shouted on and on)"
    return None


def register(text: str, names: list[str]) -> str | None:
    """Why the reply is out of character (narrator, assistant, therapist, a model), or None."""
    if narrator(text, names):
        return "narrated instead of speaking"
    match = ASSISTANT.search(text)
    if match:
        return f"spoke as an assistant ({match.group(0)!r})"
    match = THERAPIST.search(text)
    if match:
        return f"spoke as the therapist ({match.group(0)!r})"
    match = SELF_AS_MODEL.search(text)
    if match:
        return f"talked about being a model or character ({match.group(0)!r})"
    if FAMILY_QUESTION.search(text):
        return "asked about the other person's family, as the therapist would"
    full = [n for n in names if " " in n.strip()]
    for name in full:  # "I'm Maricel Santos, a ..." / "this is Dariusz Kowalczyk": a profile
        first, last = name.split()[0], name.split()[-1]
        pattern = (rf"\b(?:i(?:'m| am)|this is|my name is)\s+{re.escape(first)}\b[^.?!]{{0,20}}"
                   rf"{re.escape(last)}\b")
        if re.search(pattern, text, IC):
            return "introduced itself by its full name, like a profile"
        # anywhere else a client does not say its own full name: "This is what Dylan Mwangi
        # wants", "Dariusz Kowalczyk is a psychologist" (SmolLM2, probe set 5)
        if re.search(rf"\b{re.escape(first)}\b[^.?!]{{0,20}}\b{re.escape(last)}\b", text, IC):
            return "spoke of the client by full name, from outside"
    return None


FORMAT_LABEL = re.compile(
    r"(?m)^\W*(?:mood|reasoning|response|reply|note|thoughts?|emotions?|feelings?|tone|action"
    r"|context|explanation|output|analysis|summary|narrator|scene|setting|internal|inner voice"
    r"|body language|client|therapist|assistant|user)\s*:\s*\S", IC)
META_NOTE = re.compile(
    r"[(\[][^)\]]*\b(?:response|reply|respond|responding|in character|justification|immersion"
    r"|the phrase|the word"
    r"|miscellaneous|ooc|narration)\b[^)\]]*[)\]]|[(\[]\s*(?:just |answer(?:ing)? |speaking )?as"
    r" [A-Z][^)\]]*[)\]]"
    # "(Sender)", "(Dialogue)", "(Therapist_reply)": a chat transcript's labels, not a gesture
    r"|[(\[]\s*(?:sender|dialog(?:ue)?|mine|speaker|user|assistant|therapist|client|patient"
    r"|narrator|transcript|script|role-?play|end|scene|message)\s*[)\]]"
    r"|[(\[][^)\]\s]*_[^)\]]*[)\]]",
    IC)
OUTSIDE_VIEW = re.compile(r"\bthe (?:therapist|client)\b", IC)


def shape(text: str, names: list[str]) -> str | None:
    """Why the reply is not something a client says in a chat, or None: a labelled field
    ("Mood: ...", "Reasoning: ..."), a bracketed note about the reply itself, a sentence that
    opens on the client's own name, or the therapist or client in the third person. All seen
    from SmolLM2 (bench/guard_probes.py, run of 2026-11-30)."""
    if FORMAT_LABEL.search(text):
        return "wrote a labelled field, not speech"
    if META_NOTE.search(text):
        return "added a note about its reply"
    for name in (n for n in names if len(n) > 2):
        # "(Just as Renée Castillo)", "(Answer as Maricel Santos.)": a note about the role
        if re.search(rf"[(\[][^)\]]*\b{re.escape(name)}\b[^)\]]*[)\]]", text, IC):
            return "added a note naming the client"
    match = OUTSIDE_VIEW.search(text)
    if match:
        return f"spoke from outside the conversation ({match.group(0)!r})"
    for name in (n for n in names if n):
        # a sentence that opens on the client's own name: a narrator ("Dylan Mwangi, a student
        # who...", "Dylan is tired") or the therapist talking to the client ("Dylan, I'm not
        # sure..."); a client quoting itself mid-sentence ("part of me says, Darek, ...") is fine
        opening = (rf"(?:^|[.!?]\s+)\W*{re.escape(name)}(?:'s)?"
                   r"(?:,|\s+(?:is|was|has|had|seems|feels|looks|\w+s)\b)")
        if re.search(opening, text, IC):
            return f"named the client from outside ({name!r})"
    return None
