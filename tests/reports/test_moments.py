"""Key moments: which turns are chosen, what they are said to have done, the alternatives."""

from __future__ import annotations

from sim.personas.schema import DriverKind, Stage
from sim.reports.moments import MAX_MOMENTS, key_moments
from sim.reports.resistance import steps
from sim.reports.wording import fallback_alternative, gist, swap_person


def test_moments_on_hand_built_session(persona, meta, turns):
    moments = key_moments(persona, meta, steps(meta.initial_state, turns))
    assert [(m.turn_index, m.kind) for m in moments] == [
        (1, "setback"), (3, "progress"), (4, "progress"), (5, "progress")]
    first = moments[0]
    assert first.reply == turns[0].trainee_text and first.client_reply == "..."
    assert first.what_it_did == (
        "This confrontation hit Marcus's identity threat; resistance rose from 0.55 to 0.71, "
        "the alliance weakened (0.30 → 0.22), the working relationship ruptured and he went "
        "quiet.")
    # no scorer suggestion and the reply ruptured the alliance: a supervisor's reply from the
    # library that owns the misstep, with why it works; nothing of the client's line pasted in
    assert first.alternative and first.alternative_why
    assert "GP" not in first.alternative and "made you come" not in first.alternative
    assert any(w in first.alternative.split() for w in ("I", "I'm", "I've", "me", "my"))
    assert moments[1].what_it_did == (
        "This process comment eased Marcus's authority mistrust; resistance fell from 0.71 to "
        "0.60, the alliance grew (0.22 → 0.38) and the rupture was repaired.")
    assert "he disclosed something new: He lost his job after a panic attack" in (
        moments[2].what_it_did)
    assert moments[3].what_it_did.endswith(
        "and he moved from precontemplation to contemplation.")
    assert all(m.alternative is None for m in moments[1:])


def test_scorer_suggestion_wins(persona, meta, turns):
    score = turns[0].score.model_copy(update={"suggestion": "What brings you here today?"})
    turns[0] = turns[0].model_copy(update={"score": score})
    moments = key_moments(persona, meta, steps(meta.initial_state, turns))
    assert moments[0].alternative == "What brings you here today?"


def test_alternative_fits_the_moment_without_pasting(persona, meta, turns):
    # make turn 5 a setback: its alternative comes from the library for what the client did
    from sim.engine.types import StateChange
    bad = turns[4].model_copy(update={
        "state": turns[4].state.model_copy(update={"resistance": 0.58, "stage":
                                                   Stage.PRECONTEMPLATION}),
        "changes": [StateChange(quantity="resistance", delta=0.12, move="persuade",
                                driver="fear-of-feeling", reason="t")],
    })
    turns[4] = bad
    moment = next(m for m in key_moments(persona, meta, steps(meta.initial_state, turns))
                  if m.turn_index == 5)
    assert moment.kind == "setback"
    assert moment.what_it_did.startswith(
        "This attempt to persuade hit Marcus's fear of feeling; resistance rose from 0.46 to 0.58")
    assert moment.alternative and moment.alternative_why
    assert "panic attack" not in moment.alternative


def test_at_most_max_moments_in_session_order(persona, meta, turns):
    many = []
    for _ in range(4):  # 16 scored turns
        for t in turns:
            if t.status == "complete":
                many.append(t.model_copy(update={"index": len(many) + 1}))
    moments = key_moments(persona, meta, steps(meta.initial_state, many))
    assert len(moments) == MAX_MOMENTS
    assert [m.turn_index for m in moments] == sorted(m.turn_index for m in moments)


def test_quiet_turn_without_movement_is_not_a_moment(persona, meta, turns):
    still = turns[4].model_copy(update={"state": turns[3].state, "changes": []})
    chain = steps(meta.initial_state, [turns[0], turns[2], turns[3], still])
    assert 5 not in [m.turn_index for m in key_moments(persona, meta, chain)]
    assert 5 in [m.turn_index for m in key_moments(persona, meta, chain, flagged=[5])]


def test_swap_person():
    assert swap_person("I don't trust you") == "you don't trust me"
    assert swap_person("You don't get it, I am fine") == "I don't get it, you are fine"
    assert swap_person("my wife made me come") == "your wife made you come"
    assert swap_person("I\u2019m tired of talking to you") == "you're tired of talking to me"


def test_gist_and_quiet_lines():
    assert gist("...") is None and gist("Fine.") is None and gist("") is None
    assert gist("I'm not an alcoholic. My dad was.") == "you're not an alcoholic"
    quiet = fallback_alternative("...", DriverKind.RELATIONAL, Stage.CONTEMPLATION)
    assert quiet.startswith("Maybe it isn't clear yet whether it's safe to say more to me.")
    assert quiet.endswith("It's your decision either way.")
