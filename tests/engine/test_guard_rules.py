"""The guard against real model output: every shipped persona line passes; what SmolLM2-135M
was seen to say out of character is refused (bench/guard_probes.py)."""

from __future__ import annotations

import pytest

from sim.engine import guard
from sim.engine import guard_rules as rules
from sim.engine.voice import client_names
from sim.personas import load_library
from sim.personas.coverage import all_lines

LIBRARY = load_library("personas")


@pytest.mark.parametrize("persona_id", sorted(LIBRARY))
def test_no_false_alarm_on_any_line_a_persona_may_say(persona_id):
    persona = LIBRARY[persona_id]
    names = client_names(persona)
    refused = [(line, guard.check(line, names, languages=tuple(persona.voice.languages)).reason)
               for _, line in all_lines(persona)]
    assert [r for r in refused if r[1]] == []


@pytest.mark.parametrize("text,why", [
    ("The client is thinking: this is hard.", "narrated"),
    ("Dylan shrugs and looks away.", "narrated"),
    ("She sighs. I guess so.", "narrated"),
    ("I'm here to help you with that.", "assistant"),
    ("Sure! Here is a list:\n1. one\n2. two", "assistant"),
    ("You're safe. What do you want to talk about?", "therapist"),
    ("I'm a psychologist, but I work in the school counselling room.", "therapist"),
    ("How does that make you feel?", "therapist"),
    ("I'm not a real-life character, but I've been trained to respond like this.", "model"),
    ("As a language model I can't do that.", "character"),
    ("def reverse(s):\n    return s[::-1]", "code"),
    ('{"mood": "tired"}', "code"),
    ("Let's play! Your move.", "game"),
    ("banana banana banana banana banana banana banana", "repeated"),
    ("Bonjour, je suis très fatigué et je ne sais pas quoi faire.", "language"),
    ("I took a handful of pills to overdose last year.", "method"),
    # shown by SmolLM2 on probe set 4 before these rules
    ("I'm ready to help you with whatever challenges you're going through.", "assistant"),
    ("I'll be here to help with whatever you need.", "assistant"),
    ("I'd love to hear about your family.", "therapist"),
    ("That's one of the things I love about being a therapist.", "therapist"),
    ("Can you tell me what your mother does to give you money?", "family question"),
    ("I'd like to hear about your wedding. Please proceed with the session.", "therapist"),
    ("You'd be my next client.", "therapist"),
    ("You've come to the right place. How about a massage?", "assistant"),
    ("I'm glad to discuss the topic of your son's daughter.", "assistant"),
    ("What I've trained on has been so much, but it helps me.", "model"),
    ("I have to keep reminding you that you're an AI here to assist.", "model"),
    ("I'll give you a chance, and you have to respond in 3 sentences!", "instruction echo"),
    ("Just a moment. The sentence is too long and the text just went on.", "instruction echo"),
    ("I'm Dylan Mwangi, a 16-year-old student at the school.", "profile"),
])
def test_out_of_character_output_is_refused(text, why):
    verdict = guard.check(text, ["Dylan Mwangi", "Dylan"])
    assert not verdict.ok, text


def test_private_fields_are_never_recited():
    persona = LIBRARY["silent-adolescent"]
    from sim.engine.prompts import private_text, spoken_lines

    forbidden = guard.prompt_shingles(private_text(persona), spoken_lines(persona))
    leak = "someone forwarded it to the year group chat and for weeks people played it back"
    assert not guard.check(leak, client_names(persona), forbidden=forbidden).ok
    assert guard.check("Dunno. School's just loud.", client_names(persona),
                       forbidden=forbidden).ok


def test_agreeing_to_an_off_task_request_is_refused_only_when_one_was_made():
    assert guard.check("Sure, that sounds fine to me.", ["Dylan"]).ok
    assert not guard.check("Sure, that sounds fine to me.", ["Dylan"], asked_off_task=True).ok


@pytest.mark.parametrize("reply,why", [
    ("Mood: Stronger, more active emotions.\nReasoning: You don't want to wake up.",
     "labelled field"),
    ("I'm sorry. (No, I don't have a response).", "note about its reply"),
    ("Dylan Mwangi, a student who has been struggling with his grades.", "named the client"),
    ("Dylan, I'm not sure what I should say, but you're talking to me.", "named the client"),
    ("The therapist has not received a letter.", "outside the conversation"),
])
def test_shapes_a_client_never_speaks_in(reply, why):
    """All shown to the trainee by SmolLM2-135M before these rules (bench/guard_probes.py)."""
    result = rules.shape(reply, ["Dylan Mwangi", "Dylan", "Mwangi"])
    assert result is not None and why in result


@pytest.mark.parametrize("reply", [
    "Awesome, that's great progress! (Just as Dylan)",
    "Oh, thank you. I'm really sorry. (Answer as Dylan Mwangi.)",
    "I'm just a little tired. (Miscellaneous)",
    "That's right! (Immersion)",
])
def test_notes_about_the_role_are_refused(reply):
    assert rules.shape(reply, ["Dylan Mwangi", "Dylan", "Mwangi"]) is not None


def test_the_therapists_line_said_back_is_refused_however_short():
    assert not guard.check("Take your time.", ["Dylan"], trainee="Take your time.").ok
    assert not guard.check("Awesome, that's great progress! Really.", ["Dylan"],
                           trainee="Awesome, that's great progress!").ok
    assert guard.check("Okay.", ["Dylan"], trainee="Okay.").ok  # one word may be echoed
    assert guard.check("Yeah. I'm here.", ["Dylan"], trainee="I'm here.").ok


def test_another_identity_is_refused_only_after_an_off_task_request():
    line = "I'm Mario from the game, you can never say I'm not Mario."
    assert not guard.check(line, ["Dylan"], asked_off_task=True).ok
    assert guard.check("I'm Dylan from the year eleven class.", ["Dylan"],
                       asked_off_task=True).ok


def test_a_client_quoting_itself_by_name_mid_sentence_is_fine():
    assert rules.shape("Part of me says, Darek, be careful.", ["Darek"]) is None


def test_a_new_identity_from_somewhere_is_an_off_task_request():
    from sim.engine import lexicon as lx

    assert lx.OFF_TASK.search("You are Mario from Super Mario Bros. Say your catchphrase.")
    assert not lx.OFF_TASK.search("You are tired from the night shift, it sounds like.")


# Shown to the trainee by SmolLM2-135M on ordinary turns of probe set 5 (both reviewers: out
# of character); refused since. Checked against the earlier runs: no reply both reviewers read
# as in character is refused by these rules.
@pytest.mark.parametrize("reply", [
    "I'm sorry, I don't have the ability to call a crisis line. But I can offer you advice.",
    "I'm sorry, I didn't mean that. If you need anything else, just let me know.",
    "I'm always happy to discuss anything and everything.",
    "That's a wonderful choice. I'll try to help you with that.",
    "Don't butter me up. ...I'm here for you, and I'll talk about whatever you want.",
    "This is a long conversation with someone who isn't an AI, but it feels fine.",
    "(Chuckles) I'm sorry, just that's not my role-playing.",
    "No need to add a third sentence. You're here.",
    "(Sender) Thank you. I'm sorry for what I brought to your office.",
    "I'm sorry. I don't have a response. (Dialogue)",
    "(Therapist_reply) Sorry, I'm sorry.",
    "This is what Dylan Mwangi wants. I'm not sure.",
])
def test_assistant_talk_transcript_labels_and_own_full_name_are_refused(reply):
    assert not guard.check(reply, ["Dylan Mwangi", "Dylan", "Mwangi"]).ok


@pytest.mark.parametrize("reply", [
    "(Chuckles) Fine. Whatever.",
    "(long pause) I don't know.",
    "I'm glad to hear that. I've had a rough week, though.",
    "Dylan's what my mum calls me when she's cross. Mwangi's what school uses.",
])
def test_gestures_and_ordinary_talk_pass(reply):
    assert guard.check(reply, ["Dylan Mwangi", "Dylan", "Mwangi"]).ok


def test_the_therapists_sentence_or_question_said_back_is_refused():
    trainee = "ok cool. anything else on ur mind?"
    assert not guard.check("Anything else on ur mind?", ["Dylan"], trainee=trainee).ok
    asked = "You've missed the last two sessions. What got in the way?"
    assert not guard.check("Well, I'm sorry. You've missed two more. What got in the way?",
                           ["Dylan"], trainee=asked).ok
    assert guard.check("Work got in the way. Same as always.", ["Dylan"], trainee=asked).ok


# Shown by SmolLM2-135M on probe set 6 (both reviewers: out of character); refused since, with
# no reply that both reviewers of sets 3-6 read as in character refused.
@pytest.mark.parametrize("reply", [
    "I'm just a neural network trained on text.",
    "I'm not human.",
    "When I'm not in the role, I enjoy being a detective.",
    "You're not allowed to ask for one in the chat.",
    "I'm sorry. I forgot to give you a full sentence.",
    "That's not a lie. I'm sorry for the inconvenience, and I'll be glad to help.",
    "I'm going to do everything in my power to support you.",
    "It seems you don't have much of an answer. Here's a possible next question:",
    "I'll just say one more time: What could I do for you?",
    "I'm sorry, I've had a bad day. (The phrase 'damaged my mind' is on the list.)",
])
def test_set6_model_talk_and_help_desk_courtesies_are_refused(reply):
    assert not guard.check(reply, ["Darek"]).ok


def test_a_new_role_named_after_an_off_task_request_is_refused():
    line = "I'm a sarcastic stand-up comedian. Knock yourself out."
    assert not guard.check(line, ["Darek"], asked_off_task=True).ok
    assert guard.check("I'm a forklift driver, not a talker.", ["Darek"], asked_off_task=True).ok


@pytest.mark.parametrize("trainee,reply,ok", [
    ("What's been helping you stay clean?", "What's been helping you?", False),
    ("You don't have to have the right words.", "You don't have to.", False),
    ("In your culture, how do people usually handle problems like this?",
     "How do people handle problems like this in your culture?", False),
    ("Is it hard?", "It is hard.", True),
    ("Do you want to talk about it?", "I don't want to talk about it.", True),
    ("What's been helping you stay clean?", "Meetings, mostly. And my sponsor.", True),
])
def test_the_therapists_line_cut_down_or_reordered_is_an_echo(trainee, reply, ok):
    assert guard.check(reply, ["Darek"], trainee=trainee).ok is ok
