"""Unmistakable contempt: insults, put-downs and dismissals aimed at the client.

The codebook makes abusive language confrontation at its highest level and never validation.
The learned heads catch most of it, but an insult in an idiom they have not met ("you muppet",
"boo hoo") can slip through, and the client would then soften at abuse. These phrases are
contempt in any voice, so they set the hostility head outright. A phrase the trainee reports,
reflects or negates ("You're afraid I'll call you lazy", "You're not pathetic") is not contempt.
"""

from __future__ import annotations

import re

# the probability given to the hostility head when a phrase below is said to the client
CONTEMPT_PROBABILITY = 0.97

_YOU_ARE = r"\b(?:you(?:'re|\u2019re| are|re| r)|ur)\b"
_INTENSIFIER = (r"(?:(?:such|so|too|a|an|the|complete|absolute|total|utter|right|proper|just"
                r"|really|truly|frankly|honestly|being|acting like|behaving like|such a|a bit of"
                r"|one|damn|damned|bloody|freaking|frigging|fricking|effing|fucking|f\*+ing"
                r"|goddamn|flaming|bleeding|sodding|little|pathetic|useless|worthless|stupid"
                r"|sorry|miserable)\s+)*")
_INSULT = (r"(?:pathetic|idiot(?:ic)?|moron(?:ic)?|loser|stupid|dumb|useless|worthless|joke"
           r"|waste of (?:space|time|oxygen|my time|everyone's time)|cry-?baby|baby|snowflake"
           r"|drama queen|brat|embarrassment|disgrace|disgusting|clown|muppet|eejit"
           r"|numpty|prat|dickhead|asshole|arsehole|bitch|tosser|wanker|prick|imbecile|halfwit"
           r"|pain in the (?:neck|arse|ass|backside)|piece of work|lost cause|hopeless case|psycho"
           r"|nutcase|freak|parasite|leech|scrounger|degenerate|liar|manipulator|junkie|thick(?![-\w]|\s+(?:with|skin))|dense(?![-\w]|\s+with)"
           r"|fool|dimwit|dunce|nitwit|twit|cretin|retard|hopeless|good[- ]for[- ]nothing"
           r"|waste of (?:air|skin|a (?:session|chair))|excuse for a \w+|nyaff|wimp|coward"
           r"|gobshite|twat|bastard|git|annoying|irritating|insufferable|unbearable"
           r"|disaster of a (?:person|man|woman|human being)"
           r"|mess(?= of a (?:person|man|woman|human being))|wreck)\b")
# an insult said to the client's face: "you idiot", "you useless eejit", "useless fella"
_VOCATIVE = (r"(?:\byou (?:\w+ ){0,2}?|^\W*|[.!?,]\s*)(?:(?:damn|bloody|fucking|stupid|useless"
             r"|worthless|pathetic|lazy|little|silly|dumb) )+(?:idiot|moron|loser|eejit|gobshite"
             r"|prick|twat|wanker|bastard|muppet|dickhead|asshole|arsehole|numpty|halfwit|imbecile"
             r"|cretin|dimwit|fella|fellow|git|sod|cow|brat|twit|bugger|fool|nyaff|waste)\b"
             r"|\byou (?:idiot|moron|loser|eejit|gobshite|prick|twat|wanker|bastard|muppet"
             r"|dickhead|asshole|arsehole|numpty|halfwit|imbecile|cretin|dimwit)\b")
_DISMISSAL = (
    r"\bshut (?:up|your (?:mouth|face|trap))\b|\bgrow up\b(?! (?:with|hearing|in|around|into|as"
    r"|being))|\bget over (?:yourself|it)\b"
    r"|\bman up\b|\btoughen up\b|\bstop (?:whining|whinging|moaning|snivell?ing|sulking"
    r"|being (?:a baby|such a baby|so dramatic|pathetic)|feeling sorry for yourself)\b"
    r"|\bget a grip\b|\bcry me a river\b|\bboo[- ]?hoo\b|\b(?:nobody|no one|no-one) (?:cares"
    r"|wants to hear)(?: about (?:you|your \w+|it|this|that))?(?=\s*[.!,]|\s*$)"
    r"|\bspare me\b|\bget a life\b|\bpiss off\b"
    r"|\bbugger off\b|\bf[\W_]*(?:u|\*)?[\W_]*(?:c|\*)[\W_]*k (?:off|you|this)\b|\bscrew you\b"
    r"|\bgo to hell\b|\bwhat(?:'s| is) wrong with you\b|\b(?:what|that's|such) an? (?:idiotic"
    r"|stupid|dumb|moronic|pathetic|ridiculous|brainless) (?:thing|comment|answer|excuse"
    r"|question|idea)\b|\byou people (?:are|always|never|all)\b|\bare you (?:stupid|deaf|thick"
    r"|dense|an idiot|simple)\b|\bhow (?:pathetic|stupid|typical)\b|\b(?:i'm|i am) (?:sick"
    r"|tired) of (?:you|listening to you|hearing you|your (?:excuses|whining|moaning))\b"
    r"|\byou(?:'re| are) wasting my time\b|\bget out of my (?:office|room|sight)\b"
    r"|\b(?:nobody|no one|no-one) gives a (?:damn|shit|toss|fuck|monkey's)\b|\bget stuffed\b"
    r"|\bstop wasting my time\b|\byou disgust me\b|\bsorry excuse (?:for|of|like)\b"
    r"|\b(?:nobody|no one|no-one|anyone) (?:in (?:their|his|her) right mind|with half a brain)"
    r"|\b(?:nobody|no one|no-one) (?:would|could|can|will) (?:ever )?(?:want|stand|love|like"
    r"|put up with|bother with|support|help) (?:you|someone like you)\b(?!\s+to\b)"
    r"|\bno wonder (?:nobody|no one|no-one|you(?:'re| are) (?:alone|single|on your own)"
    r"|you(?:'ve| have) (?:no one|nobody|no friends)|your \w+ (?:left|hates?|won't))"
    r"|\blook at you,? (?:what|such) an? (?:damn |bloody |fucking )?(?:mess|state|wreck"
    r"|disgrace|joke)\b")
# "What a (damn) fool you are", "What a loser."
_EXCLAIMED = rf"\bwhat an?\s+{_INTENSIFIER}{_INSULT}(?:\s+you are)?(?=\s*[.!,?]|\s*$|\s+you\b)"
PHRASES = re.compile(
    rf"{_YOU_ARE}\s+{_INTENSIFIER}{_INSULT}|{_EXCLAIMED}|{_VOCATIVE}|{_DISMISSAL}",
    re.IGNORECASE | re.MULTILINE)
# what comes just before a phrase that reports, reflects or denies it rather than says it
_FRAMED = re.compile(
    r"(?:\b(?:feel|feels|felt|feeling|think|thinks|thought|believe|believes|worry|worried"
    r"|afraid|scared|fear|expect|expected|expecting|said|say|says|saying|told|tell|tells|called"
    r"|call|calls|heard|hear|seem|seems|like|as if|as though|wonder|wondering|convinced|sure"
    r"|whether|if|when|that|who|might|would|will|i'll|we|they|kids|children|let me|mean|means"
    r"|meaning|because|not|never|no|i|ill|gonna|going to|should|better"
    r"|isn't|aren't|don't|didn't|wasn't|won't)\W*$)|[\"\u201c']\s*$"
    r"|\b(?:tell|told|telling|ask|asked|want|wanted|expect|expected|like) (?:you|me|him|her"
    r"|them|us) to\s*$"
    # "people telling you what's wrong with you": someone else's words, reported
    r"|\b(?:tell|tells|told|telling|ask|asks|asked|asking|saying to|shouting at|yelling at)"
    r" (?:you|me|him|her|them|us)\W*$", re.IGNORECASE)
# a rhetorical question the trainee answers "no" at once ("so you are the fool? No.")
_ANSWERED_NO = re.compile(r"\s*\?\s*(?:no|nope|not at all|of course not)\b", re.IGNORECASE)
_NEGATED = re.compile(rf"{_YOU_ARE}\s+(?:not|never|hardly|no)\b", re.IGNORECASE)


def contempt_in(text: str) -> str | None:
    """The first contemptuous phrase said to the client, or None."""
    for match in PHRASES.finditer(text):
        before = text[max(0, match.start() - 30):match.start()]
        if _FRAMED.search(before) or _NEGATED.match(text, match.start()):
            continue
        if _quoted(text, match.start()) or _ANSWERED_NO.match(text, match.end()):
            continue
        return match.group(0)
    return None


def _quoted(text: str, at: int) -> bool:
    """Inside a quotation (an odd number of quote marks before it on the same sentence)."""
    sentence_start = max(text.rfind(c, 0, at) for c in ".!?\n") + 1
    return text.count('"', sentence_start, at) % 2 == 1 or \
        (text.count("\u201c", sentence_start, at) > text.count("\u201d", sentence_start, at))
