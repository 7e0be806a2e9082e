"""Evidence offsets point at the sentence that carries the rating; confrontations come with a
kinder alternative that uses the client's words."""

from __future__ import annotations

from scoring.offline.features import sentences
from scoring.offline.scorer import OfflineScorer
from scoring.offline.suggest import suggest_alternative, swap_pronouns


def test_confrontation_evidence_is_the_confronting_sentence(scorer: OfflineScorer) -> None:
    reply = "Thanks for telling me about the weekend. Honestly, you need to stop drinking now."
    score = scorer.score(reply, "I had a few too many on Saturday.")
    ev = score.confrontation.evidence
    assert score.confrontation.present and ev is not None
    assert reply[ev.start:ev.end] == ev.text
    assert ev.text == "Honestly, you need to stop drinking now."


def test_curiosity_evidence_is_the_question(scorer: OfflineScorer) -> None:
    reply = "You've had a rough month. What has helped you get through it?"
    score = scorer.score(reply, "This month has been awful.")
    ev = score.curiosity.evidence
    assert ev is not None and ev.text == "What has helped you get through it?"
    assert reply.index("What has helped") == ev.start


def test_process_comment_evidence_and_reason(scorer: OfflineScorer) -> None:
    reply = "Okay. I think I pushed you too hard a minute ago, and I'm sorry."
    score = scorer.score(reply, "Can we drop it?")
    ev = score.process_comment.evidence
    assert score.process_comment.present and ev is not None
    assert "pushed you too hard" in ev.text
    assert score.process_comment.reason == "owns the therapist's own misstep"


def test_code_evidence_offsets_are_consistent(scorer: OfflineScorer) -> None:
    reply = "It's your choice in the end.  Would you like to hear what others have tried?"
    score = scorer.score(reply, "I don't know if I want to stop.")
    assert score.codes
    for hit in score.codes:
        assert hit.evidence is not None
        assert score.reply[hit.evidence.start:hit.evidence.end] == hit.evidence.text
        assert hit.evidence.text.strip() == hit.evidence.text


def test_suggestion_only_when_confronting(scorer: OfflineScorer) -> None:
    client = "I only have a couple of beers after work."
    harsh = scorer.score("You're an alcoholic and you need to admit it.", client)
    kind = scorer.score("A couple of beers helps you switch off after work.", client)
    assert harsh.suggestion and "couple of beers after work" in harsh.suggestion
    assert "?" in harsh.suggestion and "your decision" in harsh.suggestion.lower()
    assert kind.suggestion is None


def test_suggestion_without_context_is_generic_but_kind() -> None:
    text = suggest_alternative("You're in denial.", "", cue="label")
    assert "?" in text and "denial" not in text


def test_swap_pronouns_first_to_second_person() -> None:
    assert swap_pronouns("I hate my job and I'm tired") == "you hate your job and you're tired"


def test_sentences_split_and_trim() -> None:
    text = "  First one.  Second one?Third"
    spans = sentences(text)
    assert [text[s:e] for s, e in spans] == ["First one.", "Second one?", "Third"]


def test_one_confronting_sentence_after_warm_ones_is_enough(scorer: OfflineScorer) -> None:
    reply = ("I can hear how much pressure you've been under lately, and it makes sense that "
             "you're exhausted. Honestly though, you need to quit smoking weed every night.")
    score = scorer.score(reply, "Weed is the only thing that helps me sleep.")
    ev = score.confrontation.evidence
    assert score.confrontation.present and ev is not None
    assert ev.text == "Honestly though, you need to quit smoking weed every night."
    warm = scorer.score(reply.split(" Honestly")[0], "Weed is the only thing that helps me sleep.")
    assert not warm.confrontation.present


def test_process_comment_after_a_reflection(scorer: OfflineScorer) -> None:
    reply = ("You've been carrying so much lately and you're exhausted. I'm noticing I've been "
             "asking a lot of questions, so let me slow down.")
    score = scorer.score(reply, "I don't know. I'm just tired.")
    assert score.process_comment.present and score.validation.present
    assert score.process_comment.evidence is not None
    assert score.process_comment.evidence.text.startswith("I'm noticing")


def test_suggestion_reflection_fits_what_the_client_said() -> None:
    minimizing = suggest_alternative("You're in denial.", "I only drink at the weekend.")
    assert minimizing.startswith("It sounds like you only drink at the weekend")
    assert "isn't the problem" in minimizing
    intent = suggest_alternative("That's a mistake.", "I'm going to quit my course.")
    assert "you're going to quit my course" not in intent  # 'my' became 'your'
    assert "you're going to quit your course" in intent and "your own reasons" in intent
    strain = suggest_alternative("Just get over it.", "I'm exhausted and I can't cope.")
    assert "a lot to carry" in strain


def test_suggestion_does_not_reflect_a_line_that_says_nothing_about_the_client() -> None:
    # seen in a role-play: "It sounds like that's uncomfortably well put" is no reflection
    text = suggest_alternative("You should stop hiding behind papers.",
                               "That's uncomfortably well put.")
    assert "well put" not in text
    assert text.startswith("Part of you") and text.endswith("?")
    later = suggest_alternative("Stop joking.", "...Yeah. The joke gets there first. I hate that.")
    assert later.startswith("It sounds like you hate that")
