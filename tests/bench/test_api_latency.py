"""The latency bench's fake replies and its out-of-process fake LLM (bench/api_latency.py)."""

from __future__ import annotations

import httpx

from bench.api_latency import distinct_replies
from bench.fake_llm import FakeLLMProcess
from sim.engine.guard import echoes

FIRST_PERSON = {"i", "me", "my"}


def test_fake_replies_open_as_a_client_and_never_repeat_each_other() -> None:
    replies = distinct_replies(120)
    assert len(set(replies)) == 120
    for reply in replies:
        words = reply.rstrip(".").lower().split()
        assert len(words) == 21
        assert FIRST_PERSON & set(words[:3]), reply  # the voice judges the first words first
    for i, reply in enumerate(replies):
        assert not any(echoes(reply, other) for other in replies[:i]), reply


def test_fake_llm_runs_in_its_own_process_and_reports_durations() -> None:
    fake = FakeLLMProcess(default=("stream", ("I guess so.", "Me? Maybe."), 0.0))
    try:
        assert fake.durations() == []
        body = {"model": "m", "messages": [{"role": "user", "content": "hi"}], "stream": True}
        with httpx.stream("POST", f"{fake.url}/chat/completions", json=body, timeout=10) as r:
            text = "".join(r.iter_text())
        assert r.status_code == 200 and "guess" in text
        assert len(fake.durations()) == 1
        fake.clear_durations()
        assert fake.durations() == []
    finally:
        fake.close()
    assert not fake._proc.is_alive()
