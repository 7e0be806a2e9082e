"""Director stances, the scripted voice (never repeats, deterministic) and the TurnRunner."""

from __future__ import annotations

import pytest
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import HumanMessage

from scoring.types import Code
from sim.engine.director import direct, stance_for
from sim.engine.scripted import ScriptedChatModel, ScriptPlan, compose_reply, line_hash
from sim.engine.state import initial_state
from sim.engine.turn import TurnRunner, VoiceFailure
from sim.engine.types import Direction
from sim.engine.voice import ScriptedVoice
from sim.personas.schema import Behaviour, Stance


def test_stance_follows_state(mechanic):
    base = initial_state(mechanic)
    assert stance_for(base.model_copy(update={"rupture": True})) == Stance.RUPTURED
    assert stance_for(base.model_copy(update={"resistance": 0.8})) == Stance.GUARDED
    assert stance_for(base.model_copy(update={"resistance": 0.5})) == Stance.AMBIVALENT
    open_ = base.model_copy(update={"resistance": 0.2, "alliance": 0.7})
    assert stance_for(open_) == Stance.OPENING_UP


def test_silence_prone_client_answers_short_when_guarded(mechanic, kit):
    state = initial_state(mechanic).model_copy(update={"resistance": 0.8})
    direction = direct(mechanic, state, kit.CLOSED_Q, [])
    assert direction.stance == Stance.GUARDED
    assert direction.max_sentences == 1
    assert direction.behaviours and all(
        b in mechanic.resistance.behaviours for b in direction.behaviours
    )
    talkative = mechanic.model_copy(
        update={
            "resistance": mechanic.resistance.model_copy(
                update={"behaviours": [Behaviour.DEFENSIVENESS, Behaviour.MINIMIZING]}
            )
        }
    )
    assert direct(talkative, state, kit.CLOSED_Q, []).max_sentences == 2


def test_director_passes_new_disclosures_and_rupture_notes(mechanic, kit):
    from sim.engine.state import apply_score

    start = initial_state(mechanic).model_copy(update={"alliance": 0.8, "resistance": 0.2})
    state, changes = apply_score(mechanic, start, kit.COMPLEX)
    assert direct(mechanic, state, kit.COMPLEX, changes).disclose == ["near_miss"]
    ruptured, changes = apply_score(mechanic, initial_state(mechanic), kit.CONFRONT)
    direction = direct(mechanic, ruptured, kit.CONFRONT, changes)
    assert direction.stance == Stance.RUPTURED
    assert any("ruptured" in n for n in direction.notes)


def test_scripted_model_is_a_langchain_chat_model(mechanic):
    model = ScriptedChatModel(persona=mechanic)
    assert isinstance(model, BaseChatModel)
    reply = model.invoke([HumanMessage(content="hello")])
    assert reply.content in mechanic.voice.lines.guarded
    assert reply.response_metadata["used_lines"] == [line_hash(reply.content)]


def test_scripted_reacts_to_the_main_move(mechanic):
    direction = Direction(stance=Stance.GUARDED, behaviours=[], max_sentences=2)
    comp = compose_reply(mechanic, ScriptPlan(direction=direction, move=Code.CONFRONT))
    assert comp.text in mechanic.voice.reactions[Code.CONFRONT]


def test_scripted_adds_disclosure_line(mechanic):
    direction = Direction(
        stance=Stance.AMBIVALENT, behaviours=[], max_sentences=3, disclose=["near_miss"]
    )
    comp = compose_reply(mechanic, ScriptPlan(direction=direction))
    assert mechanic.disclosures[0].line in comp.text


async def play(persona, kit, replies):
    table = {
        "confront": kit.CONFRONT,
        "process": kit.PROCESS,
        "complex": kit.COMPLEX,
        "autonomy": kit.AUTONOMY,
        "open": kit.OPEN_Q,
        "closed": kit.CLOSED_Q,
    }
    runner = TurnRunner(persona, kit.TableScorer({s.reply: s for s in table.values()}),
                        ScriptedVoice())
    state, opening = runner.opening()
    history, replies_out, results = [], [opening], []
    for name in replies:
        text = table[name].reply  # the real words: the client listens to them, not a label
        events = [e async for e in runner.run(state, history, text)]
        assert [e.type for e in events].count("result") == 1 and events[-1].type == "result"
        assert not any(e.type == "notice" for e in events)
        result = events[-1].result
        assert "".join(e.text for e in events if e.type == "token").strip() == result.reply
        state = result.state
        history.append((text, result.reply))
        replies_out.append(result.reply)
        results.append(result)
    return replies_out, results


SESSION = (["closed"] * 6 + ["confront", "process"] + ["complex", "open", "autonomy"] * 11)[:40]


async def test_scripted_never_repeats_in_40_turns(mechanic, kit):
    replies, results = await play(mechanic, kit, SESSION)
    assert len(replies) == 41
    assert len(set(replies)) == len(replies), "a reply was repeated"
    assert {r.direction.stance for r in results} >= {Stance.GUARDED, Stance.OPENING_UP}
    assert all(r.voice == "scripted" for r in results)


async def test_scripted_session_is_deterministic(mechanic, kit):
    first, _ = await play(mechanic, kit, SESSION[:15])
    second, _ = await play(mechanic, kit, SESSION[:15])
    assert first == second


async def test_runner_passes_scoring_context(mechanic, kit):
    scorer = kit.TableScorer({})
    runner = TurnRunner(mechanic, scorer, ScriptedVoice())
    state, opening = runner.opening()
    _ = [e async for e in runner.run(state, [], "hello")]
    assert scorer.contexts[0].client_last == opening
    _ = [e async for e in runner.run(state, [("hello", "Not much to say.")], "go on")]
    ctx = scorer.contexts[1]
    assert ctx.client_last == "Not much to say."
    assert [t.speaker for t in ctx.history] == ["client", "therapist", "client"]


async def test_runner_without_fallback_raises_voice_failure(mechanic, kit):
    class Broken:
        name = "scripted"
        model_name = "x"

        async def stream(self, request):
            raise RuntimeError("nope")
            yield ""

    runner = TurnRunner(mechanic, kit.TableScorer(), Broken())
    state, _ = runner.opening()
    with pytest.raises(VoiceFailure) as info:
        _ = [e async for e in runner.run(state, [], "hi")]
    assert isinstance(info.value.original, RuntimeError)
