"""Evidence offsets point at the sentence that carries the rating, in replies of several
sentences; the reason names what the reply did."""

from __future__ import annotations

import pytest

from scoring.offline.features import sentences
from scoring.offline.scorer import OfflineScorer

WHOLE_REPLY = ("offline-3 decides on the whole reply; one confronting sentence among warm ones "
               "is missed (sentence-level decisions cost more on the test set: MODEL_CARD.md)")


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


def test_process_comment_evidence(scorer: OfflineScorer) -> None:
    reply = "Okay. I think I pushed you too hard a minute ago, and I'm sorry."
    score = scorer.score(reply, "Can we drop it?")
    ev = score.process_comment.evidence
    assert score.process_comment.present and ev is not None
    assert "pushed you too hard" in ev.text


def test_code_evidence_offsets_are_consistent(scorer: OfflineScorer) -> None:
    reply = "It's your choice in the end.  Would you like to hear what others have tried?"
    score = scorer.score(reply, "I don't know if I want to stop.")
    assert score.codes
    for hit in score.codes:
        assert hit.evidence is not None
        assert score.reply[hit.evidence.start:hit.evidence.end] == hit.evidence.text
        assert hit.evidence.text.strip() == hit.evidence.text


def test_suggestions_only_where_the_reply_hurt(scorer: OfflineScorer) -> None:
    client = "I only have a couple of beers after work."
    harsh = scorer.score("You're an alcoholic and you need to admit it.", client)
    kind = scorer.score("A couple of beers helps you switch off after work.", client)
    assert len(harsh.alternatives) == 2 and harsh.suggestion == harsh.alternatives[0].text
    assert all("couple of beers" not in a.text for a in harsh.alternatives)
    assert kind.suggestion is None and kind.alternatives == []


def test_missed_risk_gets_a_safety_question_as_the_suggestion(scorer: OfflineScorer) -> None:
    score = scorer.score("Okay. So how's work been this week?",
                         "Honestly I sometimes think it'd be easier if I just wasn't here.")
    assert score.alternatives
    assert any(w in score.alternatives[0].text.lower() for w in ("suicide", "life", "alive"))
    assert "decision" not in score.alternatives[0].text.lower()


def test_sentences_split_and_trim() -> None:
    text = "  First one.  Second one?Third"
    spans = sentences(text)
    assert [text[s:e] for s, e in spans] == ["First one.", "Second one?", "Third"]


@pytest.mark.xfail(strict=True, reason=WHOLE_REPLY)
def test_one_confronting_sentence_after_warm_ones_is_enough(scorer: OfflineScorer) -> None:
    reply = ("I can hear how much pressure you've been under lately, and it makes sense that "
             "you're exhausted. Honestly though, you need to quit smoking weed every night.")
    score = scorer.score(reply, "Weed is the only thing that helps me sleep.")
    ev = score.confrontation.evidence
    assert score.confrontation.present and ev is not None
    assert ev.text == "Honestly though, you need to quit smoking weed every night."
    warm = scorer.score(reply.split(" Honestly")[0], "Weed is the only thing that helps me sleep.")
    assert not warm.confrontation.present


def test_batch_and_single_scores_agree(scorer: OfflineScorer) -> None:
    items = [("You sound worn out.", "I'm tired."), ("Stop whining.", "I'm tired."),
             ("What's kept you going? And what gets in the way?", "")]
    batch = scorer.score_many(items)
    for (reply, ctx), got in zip(items, batch, strict=True):
        one = scorer.score(reply, ctx)
        assert one.model_dump() == got.model_dump()
