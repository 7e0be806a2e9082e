"""The words that name what a question is about: one semantic field per common topic.

A topic is named by its field's own nouns and verbs (sleep: naps, the alarm, nodding off) or by
softer cues that add up ("what time do you get up" is about the day). Fields are written as
kinds of things (days of the week, relatives, workplaces, tablets) rather than as the phrases of
any one set of lines, so a question worded in a new way still lands on its topic. The therapist
is a topic too: a question about what *I* (the trainee) do, say or am is about the relationship.
"""

from __future__ import annotations

import re

from sim.personas.schema import Topic

IC = re.IGNORECASE
_THERAPY = (r"(?:therap\w*|counsell?\w*|psycholog\w+|psychiatr\w+|treatment|mental health"
            r" (?:services?|team|support)|(?:cbt|ebt|emdr)\b)")
_BEFORE = (r"(?:before|previous(?:ly)?|in the past|last time|already|earlier|ever|first time"
           r"|younger|tried|used to|helped)")
_DAYS = r"(?:mon|tues|wednes|thurs|fri|satur|sun)days?"
_TOPIC_WORDS: list[tuple[Topic, str]] = [
    (Topic.PAST_THERAPY,
     rf"\b{_THERAPY}[^.?!]{{0,40}}\b{_BEFORE}\b|\b{_BEFORE}\b[^.?!]{{0,30}}\b{_THERAPY}"
     r"|\b(?:previous|last|old|other|former|first) (?:therap\w+|counsell?\w+|psycholog\w+)"
     r"|\b(?:tried|had|been (?:to|in)|seen|done) (?:any |some )?(?:[a-z-]+ )?(?:therapy"
     r"|counsell?ing)\b|\bschool counsell?or|\bthose sessions\b"
     r"|\bhelp (?:you've|you have|you) had\b"
     r"|\b(?:any|get|got|getting) help (?:through|from) (?:the )?(?:va|nhs|a |an |your |someone)"
     r"|\b(?:see|saw|seen) (?:anybody|anyone|someone|somebody)\b[^.?!]{0,30}\bfor (?:this|these"
     r"|that|it)|\brehab\b|\bgroup work\b|\bone-to-one sessions\b|\bexposure work\b"
     r"|\bwith someone else before\b"
     r"|\b(?:tried|had|been (?:to|in)|seen|done) (?:any )?(?:therapy|counsell?ing|a therapist"
     r"|a counsell?or|someone)\b|\bpast therapy\b|\bbeen in therapy\b"
     r"|\b(?:seen|see|saw|talked to) (?:anyone|someone|somebody) (?:before|else|about this)"
     r"|\b(?:last|previous|other|first) (?:person|one|people) you (?:saw|spoke|talked|worked)"
     r"|\b(?:had|tried|done|been (?:offered|given)) (?:any )?(?:cbt|emdr|dbt|treatment)\b"
     r"|\b(?:support|help) like this\b|\b(?:talking|group) therap\w+"
     r"|\b(?:first|only) time you(?:'ve| have)? (?:talked|spoken|told|opened up)"),
    (Topic.REFERRAL,
     r"\b(?:brings?|brought|got|gets) you (?:in|here|through|to see)|\bwhy (?:you're|you are"
     r"|are you|you came|did you come) (?:here|in|today)|\bwho (?:sent|referred)\b|\breferr\w*"
     r"|\b(?:made|make|got) you come|\bsent (?:you|here)\b|\bcoming (?:here|in|today)\b"
     r"|\bcome (?:in|here)(?: today)?\b|\bthe court\b|\bcourt[- ]order\w*|\bwhy now\b"
     r"|\bwhat made you (?:decide|book|come)|\bwhat(?:'s| is) (?:got|gotten) you here"
     r"|\bhow (?:come|did) you (?:end up|get|got|are|'re) here|\bhow come you(?:'re| are) here"
     r"|\b(?:whose|who's) (?:idea|decision|choice)|\bsuggested (?:that )?you (?:come|see|get"
     r"|try)|\breason (?:you're|you are|for) (?:here|coming)|\bthrough the door"
     r"|\b(?:came|come|ended up|end up) to be (?:\w+ing )?here|\bappointment\b"
     r"|\bbook(?:ed|ing)? (?:in|this|the|an|a session)\b|\b(?:final|last) straw\b"
     r"|\btipping point\b|\bled you (?:to|here)|\bpick(?:ed)? up the phone"
     r"|\b(?:gp|doctor|nurse|probation|solicitor|employer|school|they|she|he) (?:\w+ )?"
     r"(?:suggested|recommended|referred|sent|told you to come)"
     r"|\bfrom coming here\b|\bdecide(?:d)? to (?:come|get help|book)|\bmake of being here\b"
     r"|\bend(?:ed)? up (?:coming|here|seeing|with us)\b"
     r"|\bhear(?:d)? about (?:this|the|us|our) ?(?:service|clinic|place|centre|center)?\b"
     r"|\bwhy (?:are you|you're|you are) (?:\w+ly |even |actually )here"
     r"|\b(?:want|wanted|choose|chose|choosing) to (?:be|come) here\b"
     r"|\bknows? (?:that )?you(?:'re| are) (?:here|coming|seeing (?:me|someone))"
     r"|\bdifferent by the (?:time|end)\b|\bbr(?:ings?|ought) you (?:to|along to) (?:counsell?\w+"
     r"|therap\w+|us|me|this|the (?:service|clinic|centre|center))|\b(?:hop\w*|want\w*"
     r"|expect\w*|wish\w*|like) (?:\w+ ){0,3}(?:get|come|gain|take away) (?:out of|from)"),
    (Topic.THERAPIST,
     r"\b(?:trust|about|think of|feel about|make of|of) me\b|\bthis room\b|\bhere with me\b"
     r"|\bbetween us\b|\b(?:talking|talk|being|sitting|working) (?:here )?(?:with|to) me\b"
     r"|\bme as (?:a|your) (?:therapist|counsell?or)|\bour (?:sessions?|work|conversation"
     r"|time)\b|\bworking together\b|\bhow (?:is|was) (?:this|today|the session) (?:going"
     r"|for you)\b|\bmy questions\b|\bwhat do you (?:make|think) of (?:me|this|therapy"
     r"|counsell?ing)|\bcomfortable (?:are you )?(?:with|around) me\b"
     r"|\b(?:a )?different (?:therapist|counsell?or|worker)\b"
     r"|\b(?:am i|i'm) what you expected|\bputs? you off\b|\bat ease (?:talking|with)"
     r"|\b(?:across|opposite) from me\b|\bthe way i\b|\bremind you of\b"),
    (Topic.SUBSTANCES,
     r"\b(?:drink\w*|alcohol\w*|booze|beers?|wine|spirits|vodka|whiske?y|gin|pints?|drunk"
     r"|sober\w*|drugs?|weed|cannabis|smok\w+|vap\w+|pills?|cocaine|coke|using again"
     r"|substances?|get(?:ting)? high|relapse\w*|medications?|meds|painkillers?"
     r"|energy drinks?|caffeine|coffee|nicotine|hangover|recovery|taking anything"
     r"|take anything|anything to help you (?:sleep|relax|cope|switch off)"
     r"|cigarettes?|cigs?|fags?|tobacco|roll-?ups?|joints?|spliffs?|tablets?|prescri\w+"
     r"|a punt|pokies|betting|bets?|have you used|used since"
     r"|antidepressants?|sleeping pills?|edge off|units|hung ?over|gambl\w+)\b"),
    (Topic.SLEEP,
     r"\b(?:sleep\w*|slept|asleep|insomnia|nightmares?|at night"
     r"|(?<!that )(?<!this )nights?(?! (?:crew|shifts?|staff|team))"
     r"|tired\w*|exhaust\w*"
     r"|knackered|rested|bed(?:time)?|awake|wak(?:e|ing) up|up late|dreams?|dream|(?:much"
     r"|enough|any) rest|naps?|napping|alarm|nod(?:ding)? off|drop(?:ping)? off|doz\w+"
     r"|lie[- ]ins?|early hours|wak(?:e|ing) (?:early|in the night)|refreshed|shut-?eye"
     r"|restless|kip)\b"),
    (Topic.FAMILY,
     r"\b(?:family|families|mum|mom|mother|dad|father|parents?|brothers?|sisters?|siblings?"
     r"|sons?|daughters?|kids?|children|child|wife|husband|partner|spouse|ex[- ]?wife"
     r"|ex[- ]?husband|marriage|married|divorc\w*|grand(?:ma|pa|mother|father|parents|kids?)"
     r"|nephew|niece|aunt\w*|uncle|in-laws|girlfriend|boyfriend|things at home"
     r"|household|relatives|other half|grew up|growing up|upbringing|childhood|folks"
     r"|cousins?|step-?(?:mum|mom|dad|father|mother|son|daughter|kids?)|fianc\w+|relations"
     r"|home life|mum's|dad's|your ex|at home with you|who(?:'s| is) (?:at )?home)\b"),
    (Topic.WORK,
     r"\b(?<!not at )(?<!outside )(?<!outside of )(?<!off )(?<!away from )"
     r"(?:work(?:ing|s)?(?! out\b)|job|jobs|career|boss|manager|colleagues?|co-?workers?|shifts?"
     r"|office|employ\w*|school|classes|class|lessons?|teachers?|grades?|exams?|studies"
     r"|study(?:ing)?|phd|thesis|dissertation|supervisor|university|uni|college|lectur\w+"
     r"|students?|retire\w*|ward|kitchen|restaurant|warehouse|depot|workplace"
     r"|deadlines?|customers?|for a living|line of work|company|firm|business"
     r"|(?<!of )course(?:work)?|modules?|apprenticeship|placement|internship|workload"
     r"|promotion|salary|wages?|paid work|job front|working week|crew|pay ?(?:check|cheque)"
     r"|paycheque|projects?)\b"),
    (Topic.TYPICAL_DAY,
     r"\b(?:typical|average|normal|usual|ordinary|good|bad) (?:day|week|evening|morning"
     rf"|{_DAYS})|\bday[- ]to[- ]day\b|\byour days?\b(?! job)|\b{_DAYS}\b"
     r"|\ba day (?:look|like)|\broutine\w*|\bmornings?\b|\bevenings?\b|\bafternoons?\b"
     r"|\bweekends?\b|\bdays? off\b|\bspend (?:your|the) (?:time|days?)\b"
     r"|\bwhat do you do (?:all day|with your|after|when you get)|\bdaily\b|\bfree time\b"
     r"|\bfollow(?:ed)? you (?:around|about)\b|\bbetween getting up and\b"
     r"|\brest of the day\b|\bweekdays?\b|\bfills? (?:your|the) (?:hours|days?|time)\b"
     r"|\btoday (?:been|look)|\bthe week (?:been|look|gone)|\byesterday\b"
     r"|\bwhen you get home\b|\bwhat fills\b|\bfill (?:your|the) (?:time|days?|hours)"
     r"|\bwalk me through (?:your|a|an|yesterday|the day)|\bfirst thing\b"
     r"|\bstart to finish\b|\bget up to\b|\bafter (?:lunch|dinner|tea|breakfast)\b"
     r"|\b(?:pass|spend|fill|use|kill) (?:\w+ ){0,2}(?:your |the )?(?:time|days|hours|evenings)\b"
     r"|\b(?:not at|outside (?:of )?|off|away from) (?:work|school|uni)\b"),
]
TOPICS: list[tuple[Topic, re.Pattern[str]]] = [(t, re.compile(p, IC)) for t, p in _TOPIC_WORDS]
STRONG = 3.0  # a topic's own words (above); the cues below add up to name a topic too
TOPIC_MIN = 1.5
_CUES: list[tuple[Topic, str, float]] = [
    (Topic.TYPICAL_DAY, r"yesterday|this morning|(?:get|got|getting) up\b", 1.5),
    (Topic.TYPICAL_DAY, r"most days|every day|each day|day by day|hobb(?:y|ies)", 1.5),
    (Topic.TYPICAL_DAY, r"your (?:days|evenings|mornings|weekends|afternoons)", 1.5),
    (Topic.TYPICAL_DAY, r"regular (?:day|week|evening|morning)", 3.0),
    (Topic.TYPICAL_DAY, r"look forward to|(?:morning|evening|afternoon|week|weekend)s?|days", 1.0),
    (Topic.TYPICAL_DAY, r"(?:first|last) thing (?:you do|in the|at night|before)", 3.0),
    (Topic.TYPICAL_DAY, r"lunch(?:time)?|breakfast|dinner|hours|unwind|spare time", 1.0),
    (Topic.WORK, r"day job|occupation|(?:un)?employed", 3.5),
    (Topic.WORK, r"what do you do\b(?! (?:all day|with|after|when|to|for fun|at the))", 1.5),
    (Topic.FAMILY, r"live with|lives with", 2.0),
    (Topic.FAMILY, r"at home", 1.2),
    (Topic.SUBSTANCES, r"units|(?:take|taking|use|using) (?:anything|something)", 2.5),
    (Topic.SUBSTANCES, r"get through the day", 1.0),
    (Topic.SUBSTANCES, r"anything you (?:take|use|have)", 2.5),
    (Topic.REFERRAL, r"come to be here|brought you (?:along|in|here)", 3.0),
    (Topic.REFERRAL, r"(?:want|wanted) to come", 2.5),
    (Topic.REFERRAL, r"come today|come along|decision|decided", 2.0),
    (Topic.REFERRAL, r"here today|talk to someone|see someone|get (?:some )?help|hoping", 1.5),
    (Topic.REFERRAL, r"good idea|suggested|doctor|gp", 1.0),
    (Topic.THERAPIST, r"finding me|honest with me|what i(?:'ll| will| would| might) do with", 3.0),
    # a check-in on the relationship ("How are we doing now?", "Are we okay?")
    (Topic.THERAPIST, r"how are we doing(?! for time)|are we (?:okay|ok|alright|all right|good)\b"
     r"|where are we (?:at|now)|you and me\b", 3.0),
    (Topic.THERAPIST, r"(?:straight|open|yourself) with me|easier for you", 2.0),
    # a check-in however it is worded ("How has this been, talking today?", "How you feel about
    # our talking today?"): an outside supervisor's lines got unrelated disclosures
    (Topic.THERAPIST, r"how (?:has|have|is|was) (?:this|today|it) been\b(?!\s+(?:at|with) (?:home"
     r"|work|school))|\b(?:our|this) (?:talking|talk|chat|conversation) (?:today|so far|now)\b"
     r"|\bfeel(?:ing)? about (?:our|this) (?:talk|talking|chat|conversation|session)", 3.0),
    (Topic.THERAPIST, r"me so far", 2.0),
    (Topic.THERAPIST, r"come across", 1.5),
    (Topic.THERAPIST, r"with me|to me|about me|of me", 1.2),
    (Topic.PAST_THERAPY, r"(?:anything|something|this kind of thing) like this before", 3.0),
    (Topic.PAST_THERAPY, r"(?:this|that) kind of thing before", 3.0),
    (Topic.PAST_THERAPY, r"professional(?:ly|s)?|services|support|in touch with", 2.0),
    (Topic.PAST_THERAPY, r"(?:seen|see|saw|spoken to|talked to) (?:anyone|someone|somebody)", 1.5),
    (Topic.PAST_THERAPY, r"last time|in the past|before", 1.0),
]
CUES: list[tuple[Topic, re.Pattern[str], float]] = [
    (t, re.compile(rf"\b(?:{p})", IC), w) for t, p, w in _CUES]

# The trainee speaking of themself ("the way I work", "have I said", "my notes") in a question
# to the client, once stock openers ("tell me", "can I ask", "I wonder") are set aside: a
# question about the therapist. Each such word is a cue (THERAPIST_SELF_WEIGHT).
_STOCK_SELF = re.compile(
    r"\b(?:tell|walk|take|talk|help|let|show|give|remind) me\b|\b(?:can|could|may|might) i ask"
    r"|\bi(?:'m| am) (?:curious|interested|wondering|aware|noticing|glad|sorry)|\bi wonder"
    r"|\bi(?:'d| would) (?:like|love) to\b|\bi (?:mean|guess|think|suppose|hear|notice)\b"
    r"|\bif i may\b|\bi(?:'m| am) (?:asking|hearing)|\bdo i understand|\bam i right"
    r"|\bi(?:'ve| have) (?:noticed|heard)|\bwith me (?:today|now)\b|\bme (?:about|through|how"
    r"|what|a bit|more)\b", IC)
SELF_WORDS = re.compile(r"\b(?:i|me|my|myself|i'm|i've|i'll|i'd)\b", IC)
THERAPIST_SELF_WEIGHT = 1.5


def self_references(text: str) -> int:
    """How often the trainee refers to themself outside stock question openers."""
    return len(SELF_WORDS.findall(_STOCK_SELF.sub(" ", text)))
