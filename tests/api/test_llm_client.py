"""The LLM client built by sim/llm.py: one pooled HTTP client, and the plain-text fast path
that skips the SDK's per-message request transform without changing what goes on the wire."""

from __future__ import annotations

import asyncio
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

from sim.config import Settings
from sim.llm import POOL_CONNECTIONS, POOL_KEEPALIVE, PlainTextCompletions, build_chat_model


def _model(url: str) -> Any:
    return build_chat_model(Settings(openai_base_url=url, openai_model="fake-model",
                                     openai_api_key="test-key", voice="openai"))


def _reply(model: Any, messages: list[Any]) -> str:
    async def run() -> str:
        return "".join([str(c.content) async for c in model.astream(messages)])
    return asyncio.run(run())


def test_plain_chat_is_sent_whole_and_in_order(fake_llm_server: Any) -> None:
    fake_llm_server.default = ("stream", "Fine. Whatever.", 0.0)
    model = _model(fake_llm_server.url)
    assert isinstance(model.async_client, PlainTextCompletions)
    history = [m for i in range(5) for m in (HumanMessage(f"question {i}"), AIMessage(f"a{i}"))]
    messages = [SystemMessage("You are Sam."), *history, HumanMessage("And now?")]
    assert _reply(model, messages) == "Fine. Whatever."
    sent = fake_llm_server.requests[-1]
    assert [m["role"] for m in sent["messages"]] == ["system", *["user", "assistant"] * 5, "user"]
    assert sent["messages"][0]["content"] == "You are Sam."
    assert sent["messages"][-1]["content"] == "And now?"
    assert sent["model"] == "fake-model" and sent["stream"] is True


def test_streamed_chunks_reach_langchain_as_the_servers_dicts(fake_llm_server: Any) -> None:
    """The SDK's chunk models are skipped (see PlainTextCompletions); if an SDK upgrade drops
    the stream's cast type, this fails instead of the speed-up silently disappearing."""
    fake_llm_server.default = ("stream", "Not again. Fine.", 0.0)
    model = _model(fake_llm_server.url)
    seen: list[Any] = []

    async def run() -> str:
        stream = await model.async_client.create(
            messages=[{"role": "user", "content": "Hi"}], model="fake-model", stream=True)
        assert stream._cast_to is object
        async for chunk in stream:
            seen.append(chunk)
        raw = "".join(c["choices"][0]["delta"].get("content") or "" for c in seen)
        via_langchain = "".join([str(c.content) async for c in model.astream([HumanMessage("Hi")])])
        return raw + " | " + via_langchain

    assert asyncio.run(run()) == "Not again. Fine. | Not again. Fine."
    assert seen and all(type(c) is dict for c in seen)


def test_structured_content_goes_through_the_sdk(fake_llm_server: Any) -> None:
    fake_llm_server.default = ("stream", "Okay.", 0.0)
    model = _model(fake_llm_server.url)
    parts = [{"type": "text", "text": "first part"}, {"type": "text", "text": "second"}]
    assert _reply(model, [HumanMessage(content=parts)]) == "Okay."
    assert fake_llm_server.requests[-1]["messages"] == [{"role": "user", "content": parts}]


def test_client_is_reused_with_a_pool_for_many_streams(fake_llm_server: Any) -> None:
    model = _model(fake_llm_server.url)
    pool = model.root_async_client._client
    fake_llm_server.default = ("stream", "Yes.", 0.0)

    async def two_turns() -> None:  # one event loop, as in a worker
        for text in ("one", "two"):
            [c async for c in model.astream([HumanMessage(text)])]
    asyncio.run(two_turns())
    assert model.root_async_client._client is pool
    assert pool._transport._pool._max_keepalive_connections == POOL_KEEPALIVE >= 200
    assert pool._transport._pool._max_connections == POOL_CONNECTIONS >= POOL_KEEPALIVE
