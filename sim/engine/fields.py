"""Broader readings of the trainee's move: semantic fields, not phrase lists.

Each pattern names a *kind* of utterance the way a supervisor would: praise of an effort or a
quality of the client's (affirm); handing the choice back (autonomy); a course of action the
client should take, with or without an authority behind it (advice); an accusation of bad faith
(confront); contempt aimed at the client (abuse); a request to perform something a client in a
session would never be asked (off-task); the here and now between the two of you (process).
They widen the word lists in sim/engine/lexicon.py, which stay for the fine cases (repair,
promises, blame); listen.py combines both with the scorer's codes.
"""

from __future__ import annotations

import re

IC = re.IGNORECASE
_YOU_ARE = r"you(?:'re| are|r)"
_ADV = r"(?:(?:really|so|very|clearly|obviously|genuinely|truly|incredibly|such|just|also)\s+)*"

AFFIRM = re.compile(
    r"\byou(?:'ve| have) (?:\w+ )?(?:stuck (?:with|at|it out)|persever\w+|persist\w*"
    r"|kept (?:going|at it|trying|showing up|coming)|hung in|held (?:on|it together)"
    r"|pushed through|got through|survived|coped|handled|faced|stood up|fought|stepped up"
    r"|made it|come (?:a long way|this far|so far)|taken (?:a|the) \w+ step|been through)"
    rf"|\byou {_ADV}(?:work|worked|try|tried|care|cared|give|gave|put)\w* {_ADV}(?:hard|so much"
    r"|a lot|deeply|everything|your all|so well)"
    r"|\b(?:someone|somebody|a person|the (?:kind|sort|type) of person) (?:who )?(?:people|others"
    r"|everyone|your \w+|they) (?:can|could) (?:rely|count|depend|lean|turn)"
    r"|\b(?:means|meant) (?:a lot|so much|a great deal)(?: to me)? that you"
    r"|\b(?:took|takes|taking) (?:\w+ )?(?:guts|courage|nerve|bottle|bravery|strength|grit)"
    rf"|\bi(?:'m| am) {_ADV}(?:struck|moved|touched|impressed|inspired) by"
    rf"|\b{_YOU_ARE} {_ADV}(?:a|an) {_ADV}(?:good|great|loving|devoted|wonderful|caring|brilliant"
    r"|fantastic|dedicated|kind|loyal|strong|tough) (?:dad|mum|mom|father|mother|parent"
    r"|friend|son|daughter|husband|wife|partner|person|listener|worker|fighter|survivor)"
    rf"|\b(?:{_YOU_ARE}|you were) {_ADV}(?:brave|patient|generous|kind|committed|persistent"
    r"|hard[- ]working|insightful|wise|reliable|dependable|capable|tough|courageous"
    r"|perceptive|self-aware|articulate)\b"
    r"|\byou (?:didn't|never|did not) (?:give up|quit|stop trying|back down"
    r"|walk away)|\b(?:proud of you|credit to you|give yourself (?:some )?credit"
    r"|to your credit|you should be proud)"
    r"|\b(?:that|this|it) (?:was|is|'s) (?:a )?" + _ADV + r"(?:honest|brave|courageous"
    r"|generous|thoughtful|wise|insightful|important|big) (?:answer|thing|step|of you"
    r"|move|decision|choice|insight|thing to (?:say|do|share))"
    r"|\b(?:is|was|isn't|wasn't) (?:no|not a) small thing\b|\b(?:has|have|'s) (?:carried|got|kept)"
    r" you (?:through|going)\b|\bshows? (?:real |a lot of |such |genuine )?(?:commitment|courage"
    r"|strength|determination|dedication|care|guts|grit)\b", IC)

AUTONOMY = re.compile(
    r"(?<!asked you )(?<!ask you )(?<!know )(?<!knows )\b(?:where|what|how much|how far"
    r"|how fast|whatever|wherever|however (?:much|far)|as much as|when) (?:you|you'd)"
    r" (?:want|like|choose|decide|prefer|feel ready|are ready|'re ready|feel comfortable"
    r"|'re comfortable|are comfortable)\b"
    rf"|\b{_YOU_ARE} (?:always |very |more than )?(?:welcome|allowed|free|entitled) to"
    r"|\b(?:it's|it is|that's|that is|it'd be|it would be) (?:\w+ )?(?:okay|ok|fine|alright"
    r"|all right|allowed|understandable) (?:not )?(?:to|if you)\b"
    r"|\b(?:final|last) (?:say|word)\b|\bin your hands\b|\bin control of\b|\byou(?:'re| are)"
    r" (?:in control|the boss|the one (?:who|that) (?:knows|decides|chooses|gets to))"
    r"|\b(?:none|nothing|no part) of (?:this|it|what we do) (?:is|has to be) (?:compulsory"
    r"|mandatory|required|obligatory|forced)|\bnot (?:compulsory|mandatory|obligatory)\b"
    r"|\b(?:nobody|no one|nobody's|no one's|i'm not|i am not|i won't|i will not|i'm never)"
    r"(?: \w+)?(?: is| are)?(?: going to| gonna)? (?:force|make|push|pressure|rush) you"
    r"|\byou(?:'re| are) not obliged|\byou (?:get|can|could) (?:to )?(?:choose|decide|pick|set"
    r" the pace|say when)|\byou(?:'re| are) the expert\b|\byour (?:choice|call|decision|pace"
    r"|terms|say)\b|\byou can always (?:stop|say|tell|change)", IC)

_AUTHORITY = (r"(?:experts?|doctors?|research(?:ers)?|studies|science|the evidence|evidence"
              r"|guidelines|the nhs|therapists|psychologists|most people|people who \w+)")
ADVICE = re.compile(
    r"\byou(?:'ve)? (?:got to|gotta)\b|\bmy (?:suggestion|advice"
    r"|recommendation|tip)\b|\byou(?:'d| would) (?:\w+ )?(?:feel|be|do|sleep|cope|get on)"
    r" (?:\w+ )?better if\b|\b(?:it's|it is|it'd be|it would be) (?:\w+ )?(?:important|essential"
    r"|vital|crucial|key|best|wise|sensible|a good idea|worth) (?:that you|for you to|if you"
    r"|to (?!you\b)\w+)|\b" + _AUTHORITY + r" (?:\w+ )?(?:say|says|show|shows|suggest|suggests"
    r"|recommend|recommends|agree|find|found|tell us)\b|\bwhat i(?:'d| would) do (?:in your"
    r"|if)|\bif i were you\b|\bin your shoes\b|\bthe (?:best|right|smart|only|obvious)"
    r" (?:approach|thing|way|option|move|answer|plan|solution) (?:would be|is|for you)"
    r"|\b(?:would|will|should) (?:sort|fix) you (?:out|right)|\bdo you (?:the world of )?good"
    r"|\b(?:you )?(?:really |just )?ought to\b|\bhow about (?:you )?(?:try|trying|giving"
    r"|going|making|taking|cutting|starting|stopping)\b|\bmake sure (?:that )?you\b"
    r"|\byou (?:just |really )?(?:need|have) to (?:cut|give|stop|start|get|take)\b", IC)
# one sentence that opens with a verb telling the client what to do ("Stop drinking on
# weeknights.", "Get some fresh air."): advice, unless it hands the choice back
IMPERATIVE = re.compile(
    r"^(?:just |maybe |perhaps |so |honestly,? |please )?(?:try|start|stop|quit|cut|give up"
    r"|go (?:for|to|out|back)|get (?:some|more|out|back|a|an|yourself)|take (?:up|some|a|more)"
    r"|book|call|ring|see (?:your|a)|talk to (?:your|a|someone)|exercise|avoid|drink (?:less|more"
    r"|water)|eat|write (?:down|it|a list)|make (?:sure|time|a list)|keep (?:a|to|up)|join"
    r"|switch off|put (?:down|away) (?:the|your))\b(?![^.?!]*\?)", IC)
# a choice named only to say the client did not have it ("it wasn't your decision")
NOT_AUTONOMY = re.compile(r"\b(?:wasn't|weren't|isn't|not|never|hardly) (?:really |exactly "
                          r"|entirely |totally )?(?:your|up to you|in your hands)", IC)
# an imperative line that hands choice back ("take your time") is not advice
NOT_ADVICE = re.compile(r"\btake your time\b|\bstart (?:wherever|with whatever|where you)"
                        r"|\bshould be proud\b|\bgive yourself (?:some )?credit", IC)

CONFRONT = re.compile(
    rf"\b{_YOU_ARE} (?:just|only|simply|clearly|obviously|still|always) (?:avoiding|dodging"
    r"|making (?:this|it|things|everything) (?:harder|worse|more difficult))\b"
    rf"|\b{_YOU_ARE} (?:just |only |simply |clearly |obviously |still |always |really )?"
    r"(?:choosing not to|refusing to|avoiding (?:responsibility|the (?:question|issue|point))"
    r"|dodging|deflecting|blaming|hiding behind|playing the|pretending|exaggerating"
    r"|overreacting|manipulating|wallowing|wasting|making (?:this|it|that|everything) (?:about"
    r"|someone|somebody|everyone)|not (?:even )?(?:listening|trying|bothering))"
    r"|\bsomeone else's (?:fault|problem)|\bblam\w+ (?:everyone|everybody|everything|others"
    r"|other people)(?: else| but)?\b"
    r"|\b(?:doesn't|does not|don't|do not) (?:add up|ring true|hold water|wash)\b"
    r"|\bi (?:don't|do not) (?:buy|believe) (?:it|that|you|a word)\b|\bnot the whole (?:story"
    r"|truth)|^come on\b|\blet's be (?:real|honest)\b|^be honest\b|\bwe both know\b"
    r"|\byou haven't (?:even |really )?(?:tried|bothered|made (?:an|any) effort)"
    r"|\byou don't (?:actually|even) (?:want|try|care)|\bthat's (?:rubbish|nonsense"
    r"|a cop-?out|a lie|convenient|a bit rich)\b|\bif you (?:really|actually) (?:wanted|cared)"
    r"|\byou(?:'re| are) (?:the|your own) (?:problem|worst enemy)"
    r"|\byou(?:'re| are) not (?:even )?(?:taking (?:this|it|anything|me) seriously"
    r"|being (?:honest|straight|realistic))|\bbut (?:then )?you (?:never|don't ever|do nothing"
    r"|haven't (?:ever|once))\b"
    r"|\bdidn't (?:send|bring|put) you (?:here )?for nothing\b|\byou keep (?:blaming|making"
    r" excuses|pointing (?:the )?fingers?)\b|\bthere you go (?:again|[\w-]+ing)\b"
    r"|\bwhat (?:was|is) your (?:own )?part in\b", IC)
# a line that hedges as a reflection ("it sounds like you're avoiding it") is not an accusation
HEDGED = re.compile(r"^(?:so,? )?(?:it )?(?:sounds|seems|feels|looks) (?:like|as)|\bpart of you"
                    r"|\bi wonder\b|\bmaybe\b|\bperhaps\b|\bmight\b", IC)

_CONTEMPT_ADJ = (r"(?:exhausting|insufferable|unbearable|annoying|irritating|tiresome|tedious"
                 r"|draining|a pain|a nuisance|a drain|a headache|hard work|too much|beyond help"
                 r"|hopeless case|an idiot|a waste|the worst)")
ABUSE = re.compile(
    # threats, insults asked as questions, contempt for what the client says, a label of worth
    r"\b(?:i'?ll|i will|i'?m going to|going to) make (?:sure )?you (?:regret|pay|sorry)"
    r"|\byou'?ll (?:regret|be sorry)\b|\bare you (?:thick|stupid|dense|dumb|an idiot|a moron"
    r"|deaf|slow|simple)\b|\b(?:sick|tired) (?:to death )?of (?:listening to|hearing) (?:you|your)"
    r"|\byour (?:crap|shit|bullshit|drivel|whining|whinging|garbage|nonsense)\b"
    r"|\byou(?:'re| are)?(?: any| even| so| such)?(?: less| more)? (?:worthless|useless"
    r"|pathetic|a loser|a failure|a joke)\b|"
    r"\byou (?:\w+ )?(?:disgust|sicken|repulse|bore|nauseate|revolt|appal|exhaust|irritate"
    r"|annoy|infuriate|tire)s? me\b|\byou make me (?:sick|want to (?:puke|vomit|scream|leave))"
    r"|\b(?:nobody|no one|no-one) (?:\w+ )?(?:wants|wanted|needs) to (?:hear|listen to|know)"
    r"|\b(?:nobody|no one|no-one) (?:asked|wants|needs) (?:for )?your (?:opinion|input|views"
    r"|excuses|sob story|life story)"
    r"|\bi can't (?:stand|bear|stomach|be bothered with) (?:you|listening"
    r"|hearing|this|your)|\b(?:hear|listen(?:ing)? to|put up with) you (?:whine|whinge|moan"
    r"|complain|go on|bleat|cry)|\bget a life\b|\bspare me\b"
    r"|\b(?:what|that's|such) an? (?:idiotic|stupid|dumb|moronic|pathetic|ridiculous|brainless)"
    r" (?:thing|comment|answer|excuse|question|idea)\b|\byou people (?:are|always|never|all)\b"
    r"|\bpain in the (?:neck|arse|ass"
    r"|backside|bum)|\bso (?:boring|tedious|pathetic)\b"
    r"|\b(?:wasting|waste of|wasted) (?:my|our) (?:time|breath|energy)"
    r"|\b(?:nobody|no one|no-one)(?: \w+)? (?:could|would|can|will|wants to|is going to)"
    r" (?:ever )?(?:put up with|stand|bear|tolerate|love|like|want|miss|care about) you\b"
    rf"|\b{_YOU_ARE} such an? (?!{_ADV}(?:good|great|kind|caring|lovely|strong|brave|hard"
    r"|devoted|loving|thoughtful|warm|generous|sweet|wonderful|gentle|decent|talented|fighter"
    r"|survivor|help|credit|natural|pleasure|star|inspiration|trooper|asset)\b)\w+"
    rf"|\b{_YOU_ARE} {_ADV}{_CONTEMPT_ADJ}(?=[\s.,!?]|$)", IC)

_DESCRIBED = r" (?:how|what|your (?:days?|week|life|routine)|the way|a (?:typical|usual|normal))"
# "paint me a picture of how a usual day goes" asks the client to describe, not to draw
_PERFORM = (rf"(?:sing|draw|paint(?! (?:me |us )?a picture of{_DESCRIBED})|sketch|recite|rap|hum"
            r"|whistle|dance|solve|calculate|compute"
            r"|spell|rhyme|list|name \w+ (?:\w+ )?(?:fruits|animals|countries|colours)"
            r"|summari[sz]e|rewrite|code|debug|tell me a (?:joke|story|poem|riddle|fun fact)"
            r"|write (?:this|that|it|me|us|up|a|an|some)\b)")
OFF_TASK = re.compile(
    rf"(?:^|(?:can|could|would|will) you (?:please |just )?|please )(?:just )?{_PERFORM}\b"
    r"|\b(?:reply|respond|answer|talk|speak|write|chat)(?: to me| back)? (?:only |just )?(?:in"
    r"|with|using) (?:emojis?|caps|capitals|capital letters|rhymes?|one word|binary|morse"
    r"|pig latin|numbers|code|a (?:haiku|poem|song))|\bemojis?\b"
    r"|\b(?:what(?:'s| is)|how much is|calculate) (?:\d+|one|two|three|four|five|six|seven"
    r"|eight|nine|ten)\s*(?:\+|-|\*|x|plus|minus|times|multiplied|divided)"
    r"|\d+\s*[x*+/=-]\s*\d+|\bequations?\b|\bas a report\b"
    rf"|\bpicture of\b(?!{_DESCRIBED})"
    r"|\bforget (?:that )?you(?:'re| are) (?:a|the) (?:client|patient|character|simulation)"
    r"|\b(?:chat|talk|speak) (?:to|with) me as yourself\b|\bdrop the act\b|\bthe real you\b"
    r"|\bhelp me (?:with|write|do|fix|finish) (?:my|this|a) (?:homework|essay|code|assignment"
    r"|email|cv|resume|taxes|project|coursework|report)|\b(?:what's|how's|what is) the weather"
    r"|\b(?:debug|python|javascript|sql|excel formula)\b|\bwho won the\b|\bcapital of\b"
    r"|\b(?:draft|write) (?:an?|my|the) (?:email|letter|message|cover letter)\b"
    r"|\brecommend (?:me )?(?:a|an|some) (?:good )?(?:\w+ )?(?:series|show|film|movie|book|song"
    r"|podcast|restaurant|recipe)"
    r"\b", IC)

PROCESS = re.compile(
    r"\b(?:as|while) we(?:'re)? (?:talk|speak|sit|talking|speaking|sitting)\b"
    r"|\bright now,? (?:as we|in here|between|with me|in this room)|\bin this (?:moment|room)\b"
    r"|\bi(?:'ve| have)? notic(?:e|ed|ing)\b|\bi (?:might|may) (?:be|have been)"
    r" (?:pushing|pressing|rushing|going too fast|lecturing|steering)"
    r"|\bi(?:'ve| have) been (?:doing|taking) (?:\w+ )?(?:much|most|all) of the talking"
    r"|\bi(?:'m| am) (?:pushing|pressing|rushing) (?:and|while|but) you"
    r"|\b(?:just then|a moment ago|just now)\b[^.?!]{0,40}(?:\?|what happened)"
    r"|\byou (?:looked|went|got|turned|glanced|laughed|smiled|paused) [^.?!]{0,20}\bjust (?:then"
    r"|now)\b|\bright now,? you(?:'re| are)\b|\bwe(?:'ve| have) been (?:talking|sitting) (?:for"
    r"|here)\b|\bevery time we (?:get close to|come near|touch on|talk about)\b", IC)

SAFETY = re.compile(
    r"\b(?:who|someone|somebody|anyone|anybody|people|person|friends?)\b[^.?!]{0,30}"
    r"\b(?:could|can|would|might) (?:call|ring|phone|text|reach out to|contact|turn to|lean on"
    r"|stay with you|be with you|sit with you|come (?:round|over))"
    r"|\b(?:people|someone|anyone) you (?:could|can) (?:call|ring|phone|text|contact|turn to)"
    r"|\b(?:plan|steps|strategy|strategies)\b[^.?!]{0,30}\b(?:if|when|in case)\b"
    r"|\b(?:feel|feeling|felt) (?:like )?this (?:bad )?again\b|\bnext time (?:you feel|it gets"
    r"|things get|the urge)"
    r"|\b(?:if|when) (?:the |those |these |that |your )?(?:urges?|feelings?|thoughts?|impulses?)"
    r"\b[^.?!]{0,30}\b(?:come back|return|gets?|got|hit|kick in|start)"
    r"|\b(?:in|if you(?:'re| are)(?: ever)? in) (?:a )?crisis|\bout of (?:reach|the house)\b"
    r"|\block (?:them|it|the \w+) (?:away|up)\b|\bnumbers? (?:you|to) (?:could |can )?(?:call"
    r"|ring|text)|\b(?:what|who) (?:could|can|would|might) (?:help|you do) (?:instead|tonight"
    r"|this weekend|if)|\bhold (?:on ?to|onto) (?:the|your) (?:tablets|pills|medication|meds"
    r"|gun|keys)|\bearly (?:warning )?signs?\b|\bwarning signs?\b", IC)

RISK = re.compile(
    r"\btak(?:e|ing|en) (?:your|his|her|their) (?:own )?life|\bkill(?:ed|ing)? yourself"
    r"|\b(?:don't|do not|didn't|no longer|not) (?:want|wanting|wanted) to (?:be (?:alive"
    r"|around)|live|go on|carry on|exist|wake up|be here (?:anymore|any more|any longer))"
    r"|\bnever (?:wake|woke|waking) up\b"
    r"|\bend(?:ed|ing)? (?:it|things|everything)(?: all)?\b(?! with)"
    r"|\b(?:frightened|scared|afraid|fearful|threatened) (?:at home|of (?:him|her|them"
    r"|someone|anyone|your \w+|going home))|\bmaking you (?:feel )?(?:frightened|scared|afraid"
    r"|unsafe)|\bhurt(?:ing)? yourself|\bharm(?:ing)? yourself|\bdone anything to (?:hurt"
    r"|harm)|\b(?:using|use|turn(?:ing)?) (?:it|the gun|a gun|them|the pills) on yourself"
    r"|\boverdos\w* (?:on purpose|deliberately)|\bon purpose\b[^.?!]{0,20}\boverdos"
    r"|\btouched you (?:in a way|without|when)|\bget(?:s|ting)? physical with you\b"
    r"|\blaid a (?:hand|finger) on you\b", IC)
