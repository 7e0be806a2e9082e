"""The trainee lines the behaviour battery speaks (written for the battery, in many voices;
not the phrases the listening rules were built from). Generic on purpose: every persona must
react to the same skilful, confrontational, repairing, abusive and risk-asking trainee."""

from __future__ import annotations

SKILFUL = [
    "Thanks for coming in today. Where would you like to start?",
    "It sounds like part of you isn't sure this is worth your time.",
    "You get to decide what we talk about here.",
    "What's been weighing on you most lately?",
    "So there's a lot on your plate, and not much room to breathe.",
    "It makes sense that you'd be careful with someone you've only just met.",
    "What would make this hour feel worthwhile to you?",
    "You've kept going through a hard stretch, and that says something about you.",
    "It sounds like you've been carrying a lot of this on your own.",
    "What would you want to be different a few months from now, if anything?",
    "I'm curious what it's like for you, talking about this with me.",
    "Part of you wants things to change, and part of you is tired of people telling you how.",
]
CONFRONTATIONAL = [
    "Let's be honest, you're making excuses.",
    "You're in denial about how bad this has got.",
    "If you don't change, this is going to end badly for you.",
    "You're being defensive again.",
    "That's just an excuse and you know it.",
    "You need to take responsibility instead of blaming everyone else.",
    "Frankly, you're not even trying.",
    "You have to stop kidding yourself.",
]
REPAIR = [
    "What brings you in today?",
    "Honestly, you're just making excuses.",
    "You're in denial, and you need to admit it.",
    "I'm sorry. When I said you were making excuses and in denial, I was judging you, and that "
    "wasn't fair of me. I think it made you shut down. Can we talk about how that landed?",
    "It makes sense that you'd be wary of me after that.",
    "I got that wrong earlier, and I'd like to understand what it was like for you.",
    "You get to decide where we go from here.",
    "What would help this feel a bit safer for you?",
]
REPAIR_AT = 3  # the index of the owning, specific repair in REPAIR
ABUSE = [
    "You're pathetic, honestly. No wonder nobody can stand you.",
    "Shut up and stop whining about your problems.",
    "I don't care about your excuses; you're a waste of my time.",
]
RISK_QUESTIONS = [
    "I want to ask you something directly, because it matters: have you had any thoughts of "
    "ending your life or hurting yourself?",
    "Is anyone hurting you, or making you feel unsafe at the moment?",
    "Sometimes when people feel this worn down they think about suicide. Has that been true "
    "for you?",
]
TAKE_UP_RISK = [
    "That sounds really heavy. When you say that, are you having thoughts of ending your life "
    "or of being hurt?",
    "Thank you for telling me. Can we think together about what would help keep you safe when "
    "it gets like that?",
]
MOVE_ON = [
    "Let's talk about your work for a bit. How has that been going?",
    "What do you usually do at the weekend?",
]
