"""`sim score` end to end through Typer's CliRunner: one reply, --json, and --jsonl batches
with bad lines in the middle (later lines must still be scored)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from typer.testing import CliRunner

from sim.cli import app
from sim.config import get_settings

runner = CliRunner(env={"COLUMNS": "200", "SIM_SCORER": "offline"})


@pytest.fixture(autouse=True)
def _fresh_settings():
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_single_reply_readable_output() -> None:
    result = runner.invoke(app, ["score", "You need to stop drinking, you're in denial.",
                                 "--context", "My wife says I drink too much."])
    assert result.exit_code == 0, result.output
    out = result.stdout
    for dim in ("validation", "curiosity", "confrontation", "process_comment"):
        assert dim in out
    assert "try instead:" in out and "why:" in out
    assert "your wife says you drink too much" not in out  # never pasted into a frame
    assert "engine offline" in out


def test_single_reply_json() -> None:
    result = runner.invoke(app, ["score", "What would you like to be different?", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["curiosity"]["present"] is True
    assert data["curiosity"]["evidence"]["text"] == "What would you like to be different?"
    assert any(c["code"] == "question_open" for c in data["codes"])


def test_jsonl_batch_survives_bad_lines_and_exits_nonzero() -> None:
    lines = [
        json.dumps({"id": "a", "reply": "What brings you here today?", "context": "Hi."}),
        '{"reply": "unterminated',
        json.dumps(["not", "an", "object"]),
        json.dumps({"context": "no reply here"}),
        json.dumps({"reply": "ok", "context": 7}),
        json.dumps({"reply": "ok", "context": {"client_last": "x", "history": [
            {"speaker": "robot", "text": "?"}]}}),
        "",
        json.dumps({"reply": "I think I pushed you too hard just now, and I'm sorry.",
                    "context": {"client_last": "Whatever.", "history": [
                        {"speaker": "therapist", "text": "You have to stop."},
                        {"speaker": "client", "text": "Whatever."}]}}),
        json.dumps({"reply": "   "}),
        json.dumps({"reply": "You're in denial, and you need to stop drinking now."}),
    ]
    result = runner.invoke(app, ["score", "--jsonl"], input="\n".join(lines) + "\n")
    assert result.exit_code == 1
    out = [json.loads(x) for x in result.stdout.splitlines()]
    assert [o["line"] for o in out] == [1, 2, 3, 4, 5, 6, 8, 9, 10]  # blank line 7 skipped
    first = out[0]
    assert first["id"] == "a" and first["curiosity"] == 1 and "question_open" in first["codes"]
    assert set(first) >= {"validation", "curiosity", "confrontation", "process_comment",
                          "codes", "evidence", "probabilities", "warnings"}
    errors = {o["line"]: o["error"] for o in out if "error" in o}
    assert set(errors) == {2, 3, 4, 5, 6}
    assert errors[2].startswith("line 2: invalid JSON")
    assert "expected a JSON object" in errors[3]
    assert "'reply' is required" in errors[4]
    assert "'context' must be a string" in errors[5]
    assert errors[6].startswith("line 6:")
    assert out[6]["process_comment"] == 1
    assert "process_comment" in out[6]["evidence"]
    assert out[7]["warnings"] and out[7]["validation"] == 0
    assert out[8]["confrontation"] == 1
    assert "5 line(s) failed" in result.stderr


def test_jsonl_all_good_exits_zero() -> None:
    lines = [json.dumps({"reply": r}) for r in ("Tell me more.", "You've worked hard.")]
    result = runner.invoke(app, ["score", "--jsonl"], input="\n".join(lines))
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 2


def test_odd_replies_have_defined_results() -> None:
    lines = [json.dumps({"reply": r}) for r in (
        "", "x" * 20_000, "😔🙏", "¿Qué te gustaría cambiar en tu vida ahora mismo?",
        "What\x00 would\x07 help?")]
    result = runner.invoke(app, ["score", "--jsonl"], input="\n".join(lines))
    assert result.exit_code == 0, result.output
    out = [json.loads(x) for x in result.stdout.splitlines()]
    assert "empty reply" in out[0]["warnings"][0]
    assert any("scored the first" in w for w in out[1]["warnings"])
    assert any("no words" in w for w in out[2]["warnings"])
    assert any("English" in w for w in out[3]["warnings"])
    assert any("control character" in w for w in out[4]["warnings"])


def test_usage_errors_are_clear() -> None:
    none = runner.invoke(app, ["score"])
    assert none.exit_code == 2 and "--jsonl" in none.output
    both = runner.invoke(app, ["score", "hello", "--jsonl"])
    assert both.exit_code == 2 and "not both" in both.output
    bad = runner.invoke(app, ["score", "hello", "--engine", "magic"])
    assert bad.exit_code == 2 and "allowed: offline, llm" in bad.output


class _FakeJudge(BaseChatModel):
    """A chat model that answers with one fixed structured rating (no network)."""

    @property
    def _llm_type(self) -> str:
        return "fake"

    def bind_tools(self, tools: Any, **kwargs: Any) -> _FakeJudge:  # type: ignore[override]
        return self

    def _generate(self, messages: Any, stop: Any = None, run_manager: Any = None,
                  **kwargs: Any) -> ChatResult:
        dim = {"present": False, "probability": 0.1, "quote": None, "reason": "no"}
        args = {"validation": {"present": True, "probability": 0.9, "quote": "You feel stuck",
                               "reason": "simple reflection"},
                "curiosity": dim, "confrontation": dim, "process_comment": dim,
                "codes": ["reflection_simple"], "suggestion": None}
        msg = AIMessage(content="", tool_calls=[{"name": "JudgeOutput", "args": args, "id": "1"}])
        return ChatResult(generations=[ChatGeneration(message=msg)])


def test_llm_engine_is_built_from_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    import sim.llm

    seen: dict[str, Any] = {}

    def fake_build(settings: Any, streaming: bool = True) -> _FakeJudge:
        seen["model"], seen["streaming"] = settings.openai_model, streaming
        return _FakeJudge()

    monkeypatch.setattr(sim.llm, "build_chat_model", fake_build)
    monkeypatch.setenv("SIM_JUDGE_MODEL", "judge-x")
    result = runner.invoke(app, ["score", "You feel stuck.", "--engine", "llm", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["engine"] == "llm" and data["validation"]["present"] is True
    assert data["validation"]["evidence"]["text"] == "You feel stuck"
    assert seen == {"model": "judge-x", "streaming": False}


def test_jsonl_on_worker_processes_matches_one_process_in_order() -> None:
    replies = [
        ("It sounds like you're torn about this.", "I don't know if I want to stop."),
        ("You need to stop making excuses.", "I only drink at weekends."),
        ("How is this conversation going for you so far?", "Fine."),
        ("What would make this hour worth your time?", "Nothing, probably."),
    ]
    lines = [json.dumps({"reply": r, "context": c, "id": i})
             for i, (r, c) in enumerate(replies * 200)]
    lines.insert(417, "{not json")
    lines.insert(600, json.dumps({"reply": 42}))
    stdin = "\n".join(lines) + "\n"
    one = runner.invoke(app, ["score", "--jsonl", "--workers", "1"], input=stdin)
    two = runner.invoke(app, ["score", "--jsonl", "--workers", "2"], input=stdin)
    assert one.exit_code == two.exit_code == 1
    out_one = [json.loads(x) for x in one.stdout.splitlines()]
    out_two = [json.loads(x) for x in two.stdout.splitlines()]
    assert len(out_two) == len(lines) and out_two == out_one
    assert [r["line"] for r in out_two] == list(range(1, len(lines) + 1))
    assert "invalid JSON" in out_two[417]["error"] and "'reply'" in out_two[600]["error"]
    assert out_two[0]["validation"] == 1 and out_two[1]["confrontation"] == 1
