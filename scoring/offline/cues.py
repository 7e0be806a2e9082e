"""Handcrafted lexical cues: named regexes the linear model weighs alongside n-grams.

Cues exist because the project's own labelled set is small: a cue generalises a family of
phrasings ("you need to", "you have to", "you've got to") into one feature the model can weigh,
and its `reason` explains a rating in words a trainee understands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Cue:
    name: str
    pattern: re.Pattern[str]
    reason: str


def _c(name: str, pattern: str, reason: str) -> Cue:
    return Cue(name, re.compile(pattern, re.IGNORECASE), reason)


_YOU = r"you(?:'re| are)"
CUES: tuple[Cue, ...] = (
    # confrontation and persuasion
    _c("directive", r"(?:^|[.!?,;:]\s*|\b(?:so|and|then|just|honestly|really|now|"
       r"seriously|look|well)\s+)you (?:really |just |simply |absolutely |definitely )?"
       r"(?:need to|have to|must|should(?:n't| not)?|ought to|(?:'ve |have )?got to|gotta|"
       r"need (?:a|to|some))\b", "tells the client what they must do"),
    _c("reported_directive", r"\b(?:feel|feels|think|thinks|believe|wonder(?:ing)?|whether|"
       r"if|told|tell|tells|say|says|said|saying|thought|know|sure) (?:that )?you (?:really )?"
       r"(?:need to|have to|should|must|ought to)\b",
       "reports or reflects an obligation rather than imposing one"),
    _c("truth_claim", r"\b(?:the truth is|let's be honest|let's face it|face (?:it|the facts)|"
       r"admit it|the reality is|the fact is|be real with yourself|wake up)\b",
       "asserts the therapist's view as the truth"),
    _c("label", rf"\b{_YOU} (?:(?:just |clearly |obviously )?(?:an? )?(?:alcoholic|addict|"
       r"in denial|lazy|kidding yourself|fooling yourself|making excuses|being (?:defensive|"
       r"difficult|resistant|ridiculous|dramatic|stubborn|childish|irresponsible|naive)))",
       "labels or diagnoses the client"),
    _c("why_dont_you", r"\bwhy (?:don't|can't|won't|wouldn't) you (?:just )?|\bwhy not just\b",
       "pressures the client with a 'why don't you' question"),
    _c("yes_but", r"(?:^|[.!?]\s*)(?:yes|yeah|sure|ok(?:ay)?|right|i hear you|i get that|"
       r"i understand)\s*,?\s*but\b",
       "acknowledges and then argues back ('yes, but')"),
    _c("counter", r"\b(?:says otherwise|not how (?:it|that|this|\w+) works|simply not "
       r"(?:true|accurate|the case)|that's not true|that's not right|you're wrong|two sides to "
       r"every story|never that simple|if that were true|everyone says that|(?:^|[.!?,]\s*)"
       r"(?:however|although),)", "contradicts the client"),
    _c("warning", r"\bif you (?:don't|do not|keep|carry on|continue|won't)\b[^.?!]{0,60}\b"
       r"(?:you(?:'ll| will| are going to|'re going to)|going to|it will|you could lose|"
       r"you might lose|end up)\b|\bsee where (?:it|that) gets you|don't say (?:nobody|no one|"
       r"i didn't) warn|\bcome back when|\byou'll (?:regret|be sorry)",
       "warns the client of consequences"),
    _c("certainty", r"\b(?:obviously|clearly|everyone knows|any reasonable person|"
       r"it's not rocket science|plain and simple|no doubt about it|there's no excuse|"
       r"no excuse)\b", "argues from certainty"),
    _c("moralize", r"\b(?:irresponsible|selfish|you owe it to|think (?:about|of) your "
       r"(?:kids|children|family|wife|husband)|shame on|that's not ok(?:ay)?|"
       r"that's unacceptable|you're better than this|what kind of)\b",
       "moralizes or shames"),
    _c("insist", r"\b(?:i'm telling you|trust me|the only way|you won't [^.?!]{0,40}unless|"
       r"listen to me|believe me|i've told you|how many times|i already told you)\b",
       "insists on the therapist's position"),
    _c("sarcasm", r"\b(?:oh,? sure|oh,? right|right,? because|good luck with that|"
       r"how(?:'s| is) that working (?:out )?for you|i'm sure that'll work|yeah,? right|"
       r"of course you (?:did|do|will)|must be nice|(?:because|cause) that(?:'s| has)? "
       r"(?:worked|going|gone) (?:out )?(?:so |really )?(?:well|great)|how convenient|"
       r"brilliant (?:logic|plan|idea)|what a (?:solid|great|brilliant) plan|any (?:day|decade|"
       r"year) now|oh,? (?:naturally|of course|yes|right)|very relaxing|nothing says)\b",
       "sounds sarcastic"),
    _c("minimize_client", r"\b(?:that's (?:just )?an excuse|stop making excuses|"
       r"you're overreacting|it's not that hard|it's not that bad|get over it|"
       r"just get on with it|stop (?:complaining|whining))\b",
       "dismisses the client's experience"),
    _c("gotcha_numbers", r"\b(?:way (?:too much|over)|more than (?:double|twice|triple)|"
       r"far too (?:much|many)|that's a lot more than|which is (?:way )?(?:too|more))\b",
       "uses facts as a gotcha"),
    _c("rhetorical", r"\b(?:don't you think|isn't it (?:obvious|clear|true)|do you really "
       r"(?:believe|think)|can you honestly|listen to yourself|come on|come off it|really\?|"
       r"you and i both know|no wonder|at some point you have to|it's time (?:to|you)|"
       r"i've heard that (?:one )?before|famous last words|(?:that's|it's) (?:just )?"
       r"(?:a myth|nonsense|ridiculous|the (?:depression|alcohol|addiction) talking))",
       "argues rhetorically instead of asking"),
    _c("advice", r"\b(?:the (?:best|right|only) thing (?:to do )?(?:is|would be)|i'd "
       r"(?:really )?(?:advise|recommend|suggest)(?! you take your time)|my advice is|i expect|"
       r"no more excuses|you'd better|you had better|what you need is|how about (?:you|we) "
       r"just)\b", "gives advice nobody asked for"),
    # persuade with permission and giving information
    _c("ask_permission", r"\b(?:would it be (?:ok(?:ay)?|alright|all right) (?:if|to)|"
       r"(?:can|could|may) i (?:share|offer|tell|give|mention|suggest|add|make)|"
       r"do you mind if i|is it (?:ok(?:ay)?|alright) (?:if|with you)|would you like (?:to hear|"
       r"me to|some)|with your permission|if you(?:'re| are) (?:open|interested)|"
       r"are you open to|would you be (?:open|interested))\b",
       "asks permission before offering a view"),
    _c("info_frame", r"\b(?:research (?:shows|suggests)|studies (?:show|suggest)|"
       r"(?:the )?guidelines?|recommended|on average|for most people|some people find|"
       r"what we know|it's common|many people|other people (?:have|find))\b",
       "offers information"),
    # autonomy
    _c("autonomy", r"\b(?:it's (?:(?:really|entirely|totally) )?(?:your|up to you)|up to you|"
       r"your (?:choice|call|decision)|you(?:'re| are) the (?:expert|one who|best judge|one "
       r"in charge)|only you (?:can|know)|you (?:get to )?decide|whatever you decide|you know "
       r"yourself best|you're free to|no one can (?:make|decide)|it's yours to)\b",
       "emphasizes the client's choice and control"),
    # affirmation
    _c("affirm", r"\b(?:(?:it|that) (?:took|takes) (?:(?:a lot of|real) )?(?:courage|guts|"
       r"strength)|you(?:'ve| have) (?:worked|been working) (?:so |really )?hard|that (?:shows|"
       r"says) (?:a lot|how)|you (?:really )?care (?:a lot|deeply|about)|i (?:really )?"
       r"(?:appreciate|admire|respect)|thank you for (?:sharing|being|telling|coming|trusting)|"
       r"good for you|(?:a |that's a |that's )(?:big|huge|real|important) (?:step|achievement)|"
       r"impressive|you(?:'re| are) (?:clearly |really |obviously )?(?:someone who|"
       r"resourceful|determined|committed|strong|persistent|brave|a (?:caring|devoted|good))|"
       r"well done|you managed|you did (?:it|that|well|really)|despite everything)\b",
       "affirms a strength or effort"),
    # seeking collaboration
    _c("collaborate", r"\b(?:what do you think|how does that sound|together|we could|we can|"
       r"let's (?:figure|work|look|decide|think|see|explore)|where would you like|"
       r"what would (?:be|feel) (?:most )?(?:helpful|useful)|what would you like to "
       r"(?:focus|talk|start)|does that fit|did i get that right|am i getting|"
       r"how would you like|what's your (?:take|sense)|correct me)\b",
       "invites the client to shape the work"),
    # process comment
    _c("process_notice", r"\bi(?:'m| am)? (?:notic(?:e|ed|ing)|sens(?:e|ed|ing)|aware|"
       r"realiz(?:e|ing)|wonder(?:ing)?) (?:that )?(?:(?:right now|just now|in here|as we|"
       r"when(?:ever)? i|each time|every time|we|i|you(?:'ve| have)? (?:went|go|gone|got|get|"
       r"seem|pulled|became|become|changed|shifted|stopped|looked|laughed|paused|went)))",
       "notices something in the here-and-now of the conversation"),
    _c("process_check", r"\b(?:how (?:is|are|'s) (?:this|our|the|we|things between us)"
       r"(?: (?:conversation|session|talk|going|doing|work|time together))|how are we doing|"
       r"how (?:is|does) (?:it|this) (?:feel|land|sit) (?:for you )?(?:to (?:talk|be|sit)|"
       r"right now|in here|hearing)|what(?:'s| is) it like (?:to (?:talk|be here|sit)|"
       r"talking|being here)|is this (?:helpful|useful|what you (?:want|need))|"
       r"are we (?:on track|talking about))", "checks how the session itself is going"),
    _c("process_own", r"\bi (?:may|might|think i|probably|just) (?:have )?(?:pushed|rushed|"
       r"jumped|got ahead|gotten ahead|come on|came on|been (?:pushing|lecturing|preachy|too)|"
       r"missed|misunderstood|lectured|steamrolled|went too)|\bi (?:was|am|'m) (?:being )?"
       r"(?:pushy|lecturing|preachy|pushing)|\bthat came out wrong|\bi got that wrong|"
       r"\bi owe you an apology|\bi'm sorry,? i|"
       # the same without a hedge, held to words that only fit the therapist's own move
       r"\bi (?:came|come) (?:on|in|at (?:you|that)) (?:(?:too|a bit|a little|pretty|really|way) )?"
       r"(?:strong|hard|fast|heavy|quickly)|\bi (?:pushed|was pushing|pressed) (?:you|too|a bit|"
       r"hard|on that)|\bi (?:rushed|hurried) (?:you|ahead|past|in|into)|\bi jumped (?:ahead|"
       r"in|to (?:advice|conclusions|solutions|fixing))|\bi (?:got|had gotten|'d gotten) ahead "
       r"of (?:you|myself)",
       "owns the therapist's own misstep"),
    _c("process_here", r"\b(?:in here|between us|in this room|in our (?:conversation|sessions?)|"
       r"here with me|this session|our sessions?|(?:each|every) time (?:i|we) (?:bring|mention|"
       r"ask|talk|get)|when i (?:said|asked|mentioned|brought)|(?:talk(?:ing)?|speak(?:ing)?|"
       r"say(?:ing)?|tell(?:ing)?) (?:about )?(?:this |it |that |these things )?(?:with|to) me|"
       r"most of the talking|my questions|(?:some|the) hesitation|hesitant right now|right here|"
       r"(?:let's|can we|could we) "
       r"(?:pause|slow down|step back)|let me (?:pause|slow down|step back)|something "
       r"(?:just )?(?:shifted|changed)|you went quiet|got quiet|the room)\b",
       "refers to the interaction itself"),
    # reflection cues
    _c("reflect_frame", r"\b(?:it sounds like|sounds like|it seems (?:like )?|you(?:'re| are) "
       r"(?:feeling|saying|wondering|worried|not sure|torn|tired|frustrated)|so you(?:'re| are)?|"
       r"you feel|part of you|on (?:the )?one hand|what i(?:'m| am) hearing|you(?:'ve| have) "
       r"been|you want|you don't want|for you,|you(?:'re| are) (?:really )?(?:finding|hoping))\b",
       "reflects the client's meaning back"),
)
