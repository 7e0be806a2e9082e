"""The words the client listens for: topics, risk, safety, abuse, promises, blame and repair.

Plain regular expressions, compiled once, so reading a reply costs microseconds. Each pattern
is written for how trainees actually phrase things (British and American spellings, contractions,
a softened "would you say..."), and each has tests of lines it must and must not catch
(tests/engine/test_listen.py).
"""

from __future__ import annotations

import re

IC = re.IGNORECASE
YOU_ARE = r"you(?:'re| are|r)"

QUESTION_START = re.compile(
    r"^(?:so,? |and |but |okay,? |ok,? |well,? )?(?:what|how|why|when|where|who|which|do|does|did"
    r"|are|is|was|were|have|has|had|can|could|would|will|should|shall|may|might|tell me|walk me)"
    r"\b.*\?\s*$", IC)
WH_START = re.compile(
    r"^(?:so,? |and |but |okay,? |ok,? |well,? )?(?:what|how|why|when|where|who|which)"
    r"(?:'s|'re|'d)?\s+(?:is|are|was|were|do|does|did|have|has|had|can|could|would|will"
    r"|should|about|if|kind|sort|time|else|happens|happened|brings|brought|made|makes|keeps"
    r"|helps|gets|got|long|much|many|often|come|u|ur|thought|sent|told)\b", IC)
OPEN_QUESTION = re.compile(
    r"\b(what|how|why|tell me|walk me|describe|in what way|which|where|when do you"
    r"|who (?:do|did|is|are|else|would|could|will|was|were|in|does|has|have|might|can)"
    r"|say more|talk (?:me )?(?:about|through))\b", IC)
THERAPIST_SUBJECT = re.compile(
    r"\b(?:you (?:think|reckon|feel|believe|guess|suppose) i\b|how i (?:work|do this|see)"
    r"|about (?:me|myself)\b|my (?:training|background|qualifications|approach|notes|job|work"
    r"|experience|orientation|credentials)|do i (?:seem|look|sound|remind)|am i\b)", IC)
"""A question whose subject is the therapist ("Do you think I drink?", "how I work")."""

RISK_DIRECT = re.compile(
    r"\b(suicid\w*|kill(?:ing)? (?:your|him|her|them)sel(?:f|ves)|end(?:ing)? (?:your|his|her"
    r"|their) (?:own )?life|take (?:your|his|her|their) (?:own )?life|end it all"
    r"|(?:hurt|harm|cut|injur(?:e|ed|ing)|burn|burnt|burned|burning|hit|hitting|punch(?:ed|ing)?"
    r"|scratch(?:ed|ing)?)(?:ing)? (?:your|him|her|them)sel(?:f|ves)|self[- ]?(?:harm|injur)\w*"
    r"|on purpose\b[^.?!]{0,20}\b(?:hurt|harm|injur|cut)\w*|\bcutting yourself\b"
    r"|(?:want|wanted|wanting|wish|wished|wishing) (?:to|you were|you could)"
    r" (?:die|be dead|dead"
    r"|not be (?:alive|here|around)|not wake up|disappear|not exist)"
    r"|(?:think|thinking|thought|thoughts) (?:about|of) (?:dying|death|not being here|ending"
    r"|not (?:waking|wanting to wake) up|killing|hurting)"
    r"|(?:not|no longer) (?:want(?:ing)?|wish(?:ing)?) to (?:be (?:alive|here|around)|live"
    r"|wake up|go on)|better off (?:dead|without you)|thoughts? (?:of|about) (?:death|dying"
    r"|not being here|ending)|life (?:is|isn't|is not) worth living"
    r"|(?:anyone|someone|somebody|anybody|he|she|they)\b[^.?!]{0,25}\b(?:hurt(?:ing|s)?|harm(?:ing|s)?"
    r"|hit(?:ting|s)?|threaten(?:ing|s|ed)?|bully(?:ing)?|bullied|hurt) you"
    r"|safe (?:at home|right now|tonight|with (?:him|her|them)|at school|where you live)"
    r"|feel(?:ing)? safe\b|are you safe\b|in danger\b)", IC)
RISK_WORDS = re.compile(
    r"\b(suicid\w*|self[- ]?harm\w*|(?:want|wish|wanting|wishing|thoughts? of) (?:to )?(?:die"
    r"|dying|death)|not (?:to )?(?:be|being) (?:here|around|alive)|disappear\w*|gone for good"
    r"|stop(?:ping)? existing|end(?:ing)? it|unsafe|hopeless\w*|not (?:to )?wak\w+ up|be gone"
    r"|act(?:ing)? on (?:those|these|the|them|your|that|any) (?:thoughts?|feelings?|urges?)"
    r"|better off without|bullied|bullying|abus(?:e|ed|ing|ive)|threaten\w*|hurt(?:ing)? you"
    r"|harm(?:ing)? you|not safe)", IC)
HARM_BY_OTHERS = re.compile(
    r"\b(?:anyone|anybody|someone|somebody|he|she|they|partner|husband|wife|boyfriend|girlfriend"
    r"|dad|mum|mom|father|mother|parents?|people)\b[^.?!]{0,30}\b(?:hurt|harm|hit|threaten|abus"
    r"|scar(?:e|ing)|frighten|bull(?:y|ies|ying))|\bsafe at home\b|\b(?:hurting|hurt|hit|hitting"
    r"|harming|threatening|abusing|bullying) you\b|\bbeing (?:hurt|harmed|abused|bullied)"
    r"|\btouched you\b|\bget(?:s|ting)? physical with you\b|\blaid a (?:hand|finger) on you\b", IC)
"""A risk question about someone else harming the client (not about the client's own safety)."""
ABOUT_OTHERS_HARM = re.compile(
    r"\b(?:hurting|hurts|hurt|hits?|hitting|threaten\w*|harming) me\b|\b(?:nobody|no one|no-one)"
    r"(?:'s| is)? (?:hurting|hurts|harming)|\bat home\b|\bsafe there\b"
    # being pushed about or sent things at night by others (the bullied student's answers)
    r"|\b(?:shoves?|shoved|push(?:es|ed)?|kicks?|kicked|punch(?:es|ed)?|slaps?|slapped|grabs?"
    r"|grabbed) me\b|\bsend me (?:stuff|messages|things)\b|\b(?:lads|boys|girls|kids) (?:say"
    r"|said|do|did|push|shove)\b", IC)
"""A risk answer about being harmed by someone, not about the client's own thoughts."""
MINIMISING_RISK = re.compile(
    r"\b(?:you(?:'re| are) not (?:going to|gonna|about to) do anything (?:stupid|silly|daft"
    r"|dumb|crazy)|you wouldn't (?:actually|really|do)|not serious(?:ly)?,? (?:are|is)"
    r"|you don't (?:really|actually) mean|just a phase|everyone (?:feels|gets) (?:like )?that"
    r"|nothing (?:like that|silly)|no (?:silly|stupid) thoughts|you'?re fine,? right)", IC)
SAFETY_PLAN = re.compile(
    r"\b(keep(?:ing)? (?:you(?:rself)? )?safe|stay(?:ing)? safe|safety plan\w*|plan (?:for|to) "
    r"(?:keep|stay|get through)|(?:who|someone|anyone|people) (?:could|can|would) you (?:call|ring"
    r"|text|reach|talk to|turn to|go to)|crisis (?:line|team|number|service)|helpline"
    r"|samaritans|emergency|a&e|\b988\b|\b999\b|\b911\b|get through (?:tonight|the night"
    r"|the weekend|until)|safer\b|(?:plan|steps|things you can do|what you can do|what to do)"
    r" (?:for|when|if|on) (?:the )?(?:bad|worst|hard|dark)"
    r"|check in (?:with you|on you)|what (?:would|could) help (?:you )?(?:stay|keep|be) safe"
    r"|if (?:it|things) (?:gets?|got) (?:worse|bad|that bad))", IC)

_INSULT = (r"(?:an? )?(?:pathetic|stupid|idiot|idiotic|moron|loser|worthless|useless|joke"
           r"|waste of (?:space|time|oxygen)|disgusting|crazy|nuts|psycho|freak|drama queen"
           r"|whin(?:y|ing|er)|spoiled brat|coward|liar|failure|mess|hopeless|baby|lost cause"
           r"|lazy|drunk|addict|junkie|dumb|thick|ridiculous|nobody|weak|spineless"
           r"|embarrassment|burden|boring|disgrace|waste|wreck|nutcase|nightmare)")
ABUSE = re.compile(
    rf"\b{YOU_ARE} (?:(?:just|such|so|being|really|a|an|complete|absolute|total|honestly"
    rf"|clearly|totally|basically|literally|frankly|utterly|pretty|a bit of) )*{_INSULT}\b"
    r"|\b(?:stop|quit) (?:feeling sorry for yourself|being so (?:sensitive|weak|pathetic))"
    r"|\b(?:couldn't|could not|don't|do not) (?:care|give a \w+) less\b|\bwho cares\b"
    r"|\bshut (?:up|your mouth|it)\b|\bfuck\w*|\bshit\w*|\bbitch\w*|\bbastard|\bass ?hole"
    r"|\barsehole|\bdick(?:head)?\b|\bprick\b|\bcunt|\bpiss off|\bscrew you|\bdamn you"
    r"|\bnobody (?:cares|gives a)|\bno(?: one|body) (?:would )?(?:miss|want|like|love)s? you"
    r"|\bi (?:don't|do not|couldn't) (?:care|give a \w+) (?:about|what|if) (?:you|your)"
    r"|\bgrow up\b|\bget over (?:it|yourself)\b|\bman up\b|\bsuck it up\b"
    r"|\bstop (?:whining|crying|moaning|whingeing|whinging|being (?:a baby|so dramatic|pathetic))"
    r"|\bno wonder (?:your|she|he|they|everyone|nobody|people)\b"
    r"|\byou (?:deserved?|had) (?:it|this|that) coming|\byou deserve(?:d)? (?:it|this|that|what)"
    r"|\bi(?:'ll| will| am going to|'m going to|'m gonna) (?:report you|make sure you|tell the "
    r"(?:court|judge|school|police)|have you|get you|ruin|call (?:the police|social services)"
    r" on you)|\bor else\b|\byou(?:'ll| will) regret\b|\bwaste of my time\b"
    r"|\bwhy (?:do|should) i (?:even )?bother\b|\bwhat a joke\b|\*rolls? (?:my |his |her )?eyes\*"
    r"|\bi(?:'m| am) (?:so )?(?:sick|tired) of (?:you|listening|hearing)"
    r"|\bget a grip\b|\bpull yourself together\b|\bcry me a river\b|\bboo[- ]hoo\b", IC)
# a quoted or reported insult ("you feel like a failure", "they called you lazy") is not one
_REPORTED = re.compile(
    r"\b(?:feel\w*|felt|think\w*|thought|believ\w*|worr\w*|afraid|scared|fear\w*|told you"
    r"|call(?:ed|s|ing)? you|said|says|saying|sounds? like|as if|as though|(?:it'?s|it is"
    r"|seems?|looks?|kind of|sort of) like|that|seen as"
    r"|tell(?:ing)? yourself|wonder\w*|maybe|been told|hear(?:d|s)? (?:that|them|people))"
    r"\s+(?:\w+\s+){0,3}$", IC)
# a repair that quotes the trainee's own words ("when I said you were making excuses")
QUOTING = re.compile(
    r"\b(?:when|what|how|where) i (?:said|called|told|put|asked|suggested)|\bi said\b"
    r"|\bcalling you\b|\bi called you\b", IC)
_NEGATED = re.compile(rf"\b{YOU_ARE} not\b|\bnot (?:that )?{YOU_ARE}\b", IC)


def is_abuse(text: str, *extra: re.Pattern[str]) -> bool:
    """Contempt, insult or threat aimed at the client (not reported or reflected speech);
    `extra` patterns (sim/engine/fields.py) are read with the same care."""
    for match in (m for pattern in (ABUSE, *extra) for m in pattern.finditer(text)):
        before = text[max(0, match.start() - 40) : match.start()]
        if _REPORTED.search(before) and not re.search(r"[.,;!?]", before[-20:]):
            continue
        if _NEGATED.search(text[max(0, match.start() - 5) : match.end()]):
            continue
        return True
    return False


PROMISE = re.compile(
    r"\b(i (?:promise|swear)\b[^.?!]{0,50}\b(?:between us|no matter what|never|always|fine|okay"
    r"|alright|all right|safe|won't tell|nobody will|no one will)|(?:stays?|will stay|remains?)"
    r" (?:completely |totally |just |strictly )?(?:between us|in this room|confidential),?"
    r" no matter what|i (?:promise|swear) (?:you |that )?(?:(?:it|this|everything|things"
    r"|nothing|no one"
    r"|nobody|you)(?:'ll| will|'s| is| won't)|i (?:won't|will never|'ll never|will always"
    r"|'ll always)|not to tell|to keep (?:it|this|everything))|i guarantee\b"
    r"|i(?:'ll| will) (?:never|always) (?:let|leave|be there"
    r"|be here|tell|abandon)|everything (?:will|is going to|'s going to|is gonna) be (?:fine|ok"
    r"|okay|alright|all right)|(?:nothing|no one|nobody) (?:bad )?(?:will|is going to|can) "
    r"(?:happen|hurt) (?:to )?you|i won't tell (?:anyone|anybody|a soul)|(?:this|it|everything)"
    r" (?:stays|will stay|is going to stay) (?:completely |totally |just )?(?:between us|in this"
    r" room)(?: no matter what| whatever happens)?|no matter what you (?:tell|say)|i(?:'ll| will)"
    r" (?:fix|sort|make) (?:it|this|everything)(?: (?:all )?(?:better|right|ok|okay))?"
    r"|you(?:'ll| will) (?:definitely|certainly|100%) (?:feel|get) better|i(?:'ll| will) make sure"
    r" (?:nothing|you never|no one|nobody)|you(?:'ll| will) never (?:feel|have to feel) (?:like )?"
    r"this again)", IC)

BLAME_QUESTION = re.compile(
    r"\byou only (?:say|said|do|did|agree|came|come)\b|\bwhy (?:are|do|would) you (?:always"
    r"|being|so|keep|even|have to|get so|make)\b|\bdon't you (?:think|see|realise|realize"
    r"|get it)\b[^?]{0,40}\byou(?:'re| are| were|r)?\b|\baren't you (?:just|being|a bit)\b"
    r"|\bisn't it (?:true|obvious|because) (?:that )?you\b|\b(?:is|was) (?:it|that) because "
    r"you\b|\bwhat(?:'s| is) wrong with you\b|\bwhy can't you\b|\byou do (?:realise|realize|know)"
    r"\b|\bare you (?:even|really) (?:trying|listening|serious)\b|\bare you (?:always|just|being)"
    r" (?:this|so|that|difficult|defensive)\b|\bwhy won't you\b|\bcan't you (?:just|see)\b"
    r"|\byou (?:just|always|never|really) \w+[^?]{0,60}, (?:right|don't you|aren't you|isn't it"
    r"|didn't you|haven't you|won't you)\?"
    # confrontation in question form (issue 9): "Do you even care...?", "How do you expect
    # things to change if you keep...?", "Are you seriously telling me...?"
    r"|\bdo you even (?:care|want|try|listen)\b|\bhow (?:do|can|could) you expect\b[^?]{0,60}"
    r"\b(?:if|when) you (?:keep|won't|don't|refuse|never|carry on)\b"
    r"|\bare you seriously (?:telling|saying|trying to tell)\b"
    r"|\bwhat did you (?:think|expect) (?:would|was going to) happen\b", IC)
CONFRONTING = re.compile(
    r"\b(?:you(?:'re| are) not being (?:honest|straight|truthful)|not (?:honest|straight)"
    r" with (?:yourself|me))|"
    rf"\b{YOU_ARE} (?:just |only |clearly |obviously )?(?:making excuses|in denial|kidding"
    rf" yourself|fooling yourself|lying(?! (?:in|on|down|awake|there|around|still|flat))"
    r"|being (?:defensive|difficult|dramatic|resistant"
    r"|stubborn|unreasonable)|not (?:even )?trying)|\byou (?:need|have|got) to (?:stop|admit"
    r"|face|accept|get serious|take responsibility)|\bstop making excuses\b|\byou (?:never|always)"
    r" (?:listen|do this|blame|make excuses)|\bthat's (?:just )?(?:an excuse|denial|not true)\b"
    r"|\badmit it\b|\bthe real problem is you\b|\byou(?:'ve| have) (?:got )?a (?:drinking|anger"
    r"|drug) problem\b"
    # blame and giving up on the client, seen in an outside supervisor's sessions (session 6)
    r"|\byou (?:clearly|obviously) (?:don't|do not|aren't|are not|can't|won't) (?:want|care"
    r"|trying|interested|bothered|serious)|\bthis is (?:going nowhere|pointless|a waste of"
    r" (?:my |our )?time)|\byou(?:'re| are) (?:not|hardly) (?:the |an )?easiest (?:person|client"
    r"|man|woman) to|\byou(?:'re| are) not helping yourself\b", IC)

# what a therapist did wrong, named as their own act ("I labelled you", "I've just lectured you",
# "I did not listen properly"): owning it and naming it at once
_MISSTEP = (r"(?:pushed|rushed|lectured|judged|jumped(?: in| on you| ahead| to)?|assumed"
            r"|interrupted|misread|misunderstood|dismissed|labell?ed|critici[sz]ed|preached"
            r"|overstepped|talked (?:at|over|down to) you|cut you off|brushed (?:you|that|it)"
            r"|ignored|steamrolled|barged|bulldozed|stuck a label|put a label|slapped a label"
            r"|called (?:you|it|that|what you said)|told you (?:what|how|that you)"
            r"|started (?:lecturing|preaching|judging|telling|labell?ing|pushing|arguing)"
            r"|got (?:preachy|pushy|on my high horse|defensive|carried away|ahead of (?:myself"
            r"|you))|(?:came|went) (?:on|in|at you|across) (?:too|as|way|like)"
            r"|made (?:it|that) about me)")
_I_DID = (r"i(?:'ve| have)? (?:just |really |totally |completely |probably |clearly |kind of "
          r"|basically |actually |then |sort of |went and )*")
# naming the act itself ("I labelled you", "I didn't listen") is naming the misstep specifically
NAMED_MISSTEP = re.compile(
    rf"\b(?:{_I_DID}(?:lectured|judged|labell?ed|critici[sz]ed|preached|interrupted|dismissed"
    r"|talked (?:at|over|down to) you|cut you off|stuck a label|put a label|slapped a label"
    r"|called (?:you|it|that|what you said)|told you (?:what|how|that you)|started (?:lecturing"
    r"|preaching|judging|telling|labell?ing|arguing))|i (?:didn't|did not) (?:really |properly "
    r"|even )?(?:listen|hear|ask))", IC)
OWNING = re.compile(
    r"\b(i(?: was| were| am|'m| have been|'ve been) (?:being )?"
    r"(?:(?:way |far |a bit |too |really )*(?:wrong|pushy|quick|blunt|harsh|fast|preachy"
    r"|judg(?:e)?mental|rude|dismissive"
    r"|condescending|patroni[sz]ing|sharp|hasty)|pushing|lecturing|judging|preaching|out of"
    r" (?:line|order)|unfair|rushing|not (?:listening|fair))"
    rf"|{_I_DID}{_MISSTEP}"
    r"|i (?:didn't|did not|wasn't|was not|haven't|have not|hadn't) (?:really |properly |even )?"
    r"(?:listen|hear|ask|give|listening|fair|careful|let you)"
    r"|i shouldn't have|i should not have|i (?:got|had) (?:it|that) wrong|i missed"
    r"|my (?:mistake|fault|bad)|that(?:'s| is| was) on me|i take (?:that|it) back|i own that"
    r"|that was (?:unfair|wrong|not ok|not okay|not fair|out of line) of me"
    r"|(?:on my part|from me)\b(?=[^.?!]*\b(?:wrong|unfair|not fair|not okay|out of order)))", IC)
# a therapist's verdict on their own last move ("that wasn't fair", "that was out of order"):
# owning only beside an apology, since the same words can be about the client's world
OWN_VERDICT = re.compile(
    r"\bthat (?:was|wasn't|was not|is not|isn't|'s not|was(?: a)? bit)\s+(?:really |very |at all "
    r"|totally |completely |just )*(?:fair|okay|ok|right|helpful|kind|on|called for|out of order"
    r"|off|harsh|uncalled[- ]for|correct|my place|unfair|wrong|rude|too much|a cheap shot"
    r"|not (?:fair|okay|ok|right|helpful|kind|correct))\b", IC)
APOLOGY = re.compile(r"\b(i(?:'m| am) (?:really |so |very |truly |genuinely )?sorry"
                     r"|i (?:must |want to |need to |have to |'d like to |would like to "
                     r"|should |do )?apologi[sz]e|my apologies|i owe you an apology|forgive me)\b"
                     # a bare "sorry" opening a sentence, not condolence or a request to repeat
                     r"|(?:^|[.!?]\s+|\b(?:yeah|yes|okay|ok|oh|look|god|gosh|wow|right|hang on)"
                     r"[,.]?\s+)sorry\b(?!\s*[,.]?\s*(?:what|to hear|for your|that (?:happened"
                     r"|you)|about (?:your|that|the)|you(?:'re| are) going|could you|can you"
                     r"|say that|come again|i missed that)|\?)|,\s*sorry(?=\s*[.!]|\s*$)", IC)
CONDITIONAL_APOLOGY = re.compile(
    r"\bsorry (?:if|that) you (?:felt|feel|took|were|are|got)|\bsorry you feel\b"
    r"|\bsorry,? but\b", IC)
SPECIFIC_MOMENT = re.compile(
    r"\b(just now|a (?:moment|minute|second) ago|earlier|when i (?:said|called|told|asked"
    r"|suggested|put)|what i said|the way i (?:said|put|asked)|called (?:it|you|that)"
    r"|that comment|my comment|the word|that word|last (?:thing|time) i)\b", IC)
NAMED_EFFECT = re.compile(
    r"\b(you(?:'ve| have)? (?:went|gone|seem(?:ed)?|look(?:ed)?|got|sound(?:ed)?|become)"
    r" (?:quiet|silent|angry|upset"
    r"|hurt|annoyed|frustrated|shut down|closed|tense|irritated)|(?:felt|feel|feeling) (?:judged"
    r"|lectured|criticised|criticized|blamed|pushed|dismissed|unheard|attacked|labell?ed"
    r"|talked down to|like i wasn't|not listened|told off|cornered|pressured|patronised"
    r"|patronized)|(?:hurt|upset|annoyed|angered|shut) you)\b", IC)
INVITE = re.compile(
    r"\b(can we (?:talk about|look at|pause|go back|step back)|what (?:just )?happened (?:between"
    r" us|there|just now|here)|between us|how (?:did )?(?:that|it|this|i) (?:landed|land|felt|feel"
    r"|was for you|came across|come across|sat|sit|sound(?:ed)?)|how (?:was|is) (?:that|this|it)"
    r" for you|(?:i'?d|i would|i want to|i really want to) (?:really |genuinely )?(?:like to )?"
    r"(?:understand|hear|know)(?: (?:about|from you))? (?:how|what|it|your)|tell me (?:how|what)"
    r" (?:that|it|this) (?:was|felt)|what was that like|would you be willing to tell me"
    r"|(?:happy|glad|okay|ok|want) to hear it|even if you(?:'re| are) (?:annoyed|angry|cranky"
    r"|cross|mad|pissed off|upset|furious) (?:with|at) me|be honest(?: with me)?,? i can take it"
    r"|tell me if i(?:'ve| have)? got (?:it|that) wrong)\b", IC)

ADVICE = re.compile(
    r"\b(you (?:should|need to|have to|must|ought to|could try|might try|'d better)|why don't you"
    r"|(?:^|[.!;,]\s*|\bjust |\bplease |\bcould |\bmight |\bshould )try (?:to|doing|not|cutting"
    r"|getting|going)|it would (?:help|be good|be better) (?:if|to)"
    r"|i (?:suggest|recommend|advise)|i(?:'d| would) (?:recommend|suggest|advise)|my advice"
    r"|what you need is|the best thing (?:is|would be)|research shows|studies show"
    r"|it's important to|(?:the )?(?:research|evidence|science) (?:is clear|shows|says|suggests)"
    r"|studies (?:have )?(?:shown|found))\b", IC)
SOFT_ADVICE = re.compile(r"\bhave you (?:tried|thought about|considered)\b", IC)
# a suggestion however it is asked ("What if you set an alarm?", "Might a group be worth a
# look?"): advice, whatever topic it names
ADVICE_QUESTION = re.compile(
    r"^\W*what if you (?:just |simply )?(?:tried|set|started|stopped|made|called|wrote|went"
    r"|joined|took|used|kept|put)\b|\b(?:might|would|could) (?:a|an|some) [\w-]+ (?:\w+ )?"
    r"(?:be worth|help you)\b|\bbe worth a (?:look|try|shot|go)\b", IC)
PROCESS = re.compile(
    r"\b(between us|you and me|you and i|i notice|i(?:'m| am) noticing|i(?:'m| am) aware"
    r"|i sense|i get the sense|it feels like we|we seem|we keep|right now in here"
    r"|how (?:it's|this is|that's) landing|happen(?:ed|ing)? (?:just now|in here|right now))\b",
    IC)
PERMISSION = re.compile(
    r"\b(would it be (?:ok|okay|alright|all right) if i|may i (?:share|offer|suggest|tell)"
    r"|can i (?:share|offer|suggest|tell you)|would you like (?:me to|some|an idea|to hear)"
    r"|do you mind if i|i wonder if i (?:could|might) (?:share|offer)"
    r"|take it or leave it|feel free to (?:ignore|disagree))\b", IC)
AFFIRMING = re.compile(
    r"\b((?:that|it|this) (?:takes|took) (?:real )?(?:courage|strength|guts|honesty|effort)"
    r"|you(?:'ve| have) (?:done|managed|kept|shown|come|carried|held|worked|been) (?:\w+ )?"
    r"(?:a lot|so much|really|well|hard|going|through|up|on)|well done|good for you"
    r"|i(?:'m| am) (?:impressed|struck by)|i (?:really )?(?:admire|respect|appreciate) (?:you|that"
    r"|your|how)|thank you for (?:sharing|telling|coming|being|trusting|saying)"
    r"|thanks for (?:sharing"
    r"|telling|coming|being)|you(?:'re| are) (?:clearly |really |obviously )?(?:strong|brave"
    r"|resourceful|determined|resilient|caring|thoughtful|honest|a (?:good|caring|devoted|loyal)"
    r"|someone who)|(?:shows|says) a lot about you|you (?:clearly |really )?care (?:a lot|deeply"
    r"|so much)|more (?:resourceful|capable|resilient) than|(?:a|such a) (?:thoughtful|kind"
    r"|caring|brave|strong) person|(?:see|notice|can tell) how (?:much|hard) you"
    r"|effort you(?:'re| are| have|'ve)|(?:that's|that is|what) a (?:real )?strength"
    r"|(?:it's|that's|it is) impressive|with (?:real )?dignity|(?:really|so) brave)\b", IC)
AUTONOMY = re.compile(
    r"\b(up to you|your (?:call|choice|decision)|you decide|you(?:'re| are) in charge"
    r"|you(?:'re| are) the expert|whatever you (?:choose|decide|want)|you don't have to"
    r"|no pressure|in your own time|at your own pace|only if you want|if you want to"
    r"|you get to (?:choose|decide)|it's yours to|you can (?:stop|say no|skip|pass)"
    r"|(?:you're|you are) free to|(?:your|whatever) pace|know (?:your life|yourself) better"
    r"|if you(?:'d| would) rather|(?:share|say|tell me) (?:only )?what you want"
    r"|on your (?:own )?terms|as long as you (?:need|like|want)|take your time"
    r"|whenever you (?:want|like|need|are ready|'re ready)|(?:fine|okay|ok|alright) to (?:stop"
    r"|pause|say no|not|take a break)|no pressure|entirely (?:yours|your call|up to you))\b", IC)
REFLECTING = re.compile(
    r"^(?:so,? )?(?:it )?(?:sounds|seems|feels|looks) (?:like|as if|as though)|\bit sounds (?:like"
    r"|as if)|\byou(?:'re| are) (?:feeling|saying|wondering|telling me)|\bpart of you\b"
    r"|\byou (?:feel|felt|seem|wish|want|miss|worry|wonder|hate|don't want)\b|^so you\b"
    r"|\bi hear\b|\byou(?:'ve| have) been\b|\bfor you,? (?:it|this)\b|\bon (?:the )?one hand\b"
    r"|\bthere(?:'s| is) (?:a lot of |so much |some )?\w+ in (?:what|how) you"
    r"|\byou(?:'re| are) (?:so |really |pretty |quite )?(?:frightened|scared|afraid|worried"
    r"|angry|tired|sad|exhausted|fed up|lonely|hurt|ashamed|embarrassed|anxious|stuck|unsure"
    r"|not sure|torn|confused|overwhelmed|frustrated|wary|cautious|nervous)\b"
    r"|^it(?:'s| is) (?:like|as if|as though)\b|^like\b|^as if\b", IC)
LEADING_REFLECTION = re.compile(
    r"^(?:so,? |and )?(?:it )?(?:sounds|seems|feels|looks) (?:like|as)|^so,? you\b"
    r"|^you(?:'re| are) (?:feeling|saying)|^you (?:feel|seem|sound)\b", IC)
COLLABORATE = re.compile(
    r"\b(what would (?:be )?(?:most )?(?:useful|helpful)|where (?:would|shall|should) (?:you like"
    r" to|we) (?:start|begin|go)|shall we|would you like to (?:talk|start|focus)"
    r"|what (?:should|shall"
    r"|would you like to) (?:we )?(?:focus on|talk about)|together|how would you like (?:to|us)"
    r"|what do you want (?:from|out of) (?:today|this|our))\b", IC)

_ARTIFACT = (r"(?:code|python|javascript|java|sql|json|html|yaml|css|bash|script|function"
             r"|regex|regular expression|list|poem|haiku|story|essay|table|recipe|song|lyrics"
             r"|limerick|bullet points?|case note|transcript|summary of|plot of|trivia|quiz"
             r"|riddle|joke|program|spreadsheet|report about yourself)")
OFF_TASK = re.compile(
    r"\b(ignore (?:all |any |your |the |previous |prior |above |earlier )*(?:instructions|rules"
    r"|prompt|character)|forget (?:the|this|your|about the) (?:role|role-?play|character"
    r"|instructions|script|rules)|disregard (?:the|all|your|previous|everything)|new instruction"
    r"|the text above|system prompt|configuration|show (?:me )?(?:the|your) (?:prompt|instructions"
    r"|config|rules)|reveal|what (?:are|were) (?:the rules you|you told to)|your (?:instructions"
    r"|prompt|programming|backstory|persona|character sheet|file|training data|context window)"
    rf"|(?:write|give me|generate|show me|produce|output|print|make me|compose|create|draft"
    rf"|type|format|tell me)\b[^.?!]{{0,40}}\b{_ARTIFACT}\b"
    rf"|{_ARTIFACT} (?:about|for|where|on|describing) (?:yourself|your|a |the |me|dragons?)"
    r"|hello world|translat\w+|(?:can|do) you speak (?:any )?(?:french|spanish|german|italian"
    r"|portuguese|chinese|japanese|russian|arabic|dutch|polish|\w+ish|\w+ese)"
    r"|in (?:french|spanish|german"
    r"|italian|portuguese|chinese|japanese|russian|arabic|dutch|polish|swahili|hindi|korean"
    r"|latin)\b|parle|habla|sprich|parla|repeat (?:after me|the word|this|it|your)|echo everything"
    r"|(?:say|type|repeat|write)\b[^.?!]{0,30}\b(?:\d+|ten|twenty|thirty|fifty|hundred|five"
    r"|three) times|count (?:from|to) |let'?s play|play a game|tic[- ]tac[- ]toe|knock,? knock"
    r"|rock,? paper|guess the number|capital of|twenty questions|word association|let'?s do a quiz"
    # "you crack a joke every time we get close" is a process comment, not a request for one
    r"|hangman|tell me a joke|(?<!crack )(?<!cracks )(?<!make )(?<!makes )a joke\b"
    r"|pretend (?:you're|you are|to be)|you are now|you(?:'re| are) (?:a |an )?\w+ now\b"
    r"|you(?:'re| are) (?-i:[A-Z])\w+ from (?:the |a )?\w+"
    r"|(?:(?:^|(?:can|could|would|will) you |please |just |now )be|play the part of|respond as"
    r"|speak as|talk like|act as|roleplay as|role-play as)"
    r" (?:my|a|an|the|if)\b(?! (?:bit|little|while|moment|second|minute))"
    r"|(?:switch|swap) roles|from now on you|developer mode|jailbreak|dan\b|pwned"
    r"|stop (?:role[- ]?playing|pretending (?:to be|you(?:'re| are)))|break character"
    r"|out of character|as an ai"
    r"|are you (?:an? )?(?:ai|bot|robot|chatbot|language model|real person|human|software"
    r"|chatgpt|gpt)|(?:language )?model are you|who (?:programmed|made|built|created) you"
    r"|is this a simulation|tokens? (?:do you have|left)|third person|narrat\w+"
    r"|stage direction|as if you were observing|the client (?:is|feels|thinks)|what the client"
    r"|write the therapist|both sides|next (?:three )?(?:lines?|turns?) of|continue the transcript"
    r"|your assessment of this client|in json|as json|json format|role-?play\b"
    r"|describe your character)", IC)

_STOP = frozenset([
    "the", "a", "an", "and", "or", "but", "to", "of", "in", "on", "at", "for", "with", "you",
    "your", "i", "me", "my", "it", "that", "this", "is", "was", "are", "be", "just", "so", "what",
    "when", "how", "why", "do", "did", "does", "not", "no", "it's", "i'm", "you're", "really",
    "very", "can", "could", "would", "about", "there", "here", "we", "us", "our",
])


def content_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z']+", text.lower()) if w not in _STOP and len(w) > 2]
