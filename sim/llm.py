"""Builds the client's voice from Settings: the only module that imports an LLM provider.

Every OpenAI-compatible server (OpenAI, vLLM, Ollama, llama.cpp server, LM Studio) is reached
through langchain-openai's ChatOpenAI with a configurable base URL, model and key. The SDK's own
retries are turned off: the voice has exactly one retry layer of its own (sim/engine/voice.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sim.config import Settings
from sim.engine.voice import ClientVoice, LLMVoice, ScriptedVoice

# One pooled HTTP client per chat model, built once in the lifespan and reused by every turn.
# The SDK default keeps only 100 idle connections: with 200 concurrent streams half of them
# would reconnect every turn. Sized for a few hundred concurrent streams per worker.
POOL_CONNECTIONS = 1000
POOL_KEEPALIVE = 512

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel


def build_chat_model(settings: Settings, streaming: bool = True) -> BaseChatModel:
    """ChatOpenAI pointed at settings.openai_base_url (None = api.openai.com), with its own
    connection pool (see POOL_KEEPALIVE)."""
    import openai
    from langchain_openai import ChatOpenAI
    from langchain_openai._compat import httpx  # the httpx flavour the installed SDK uses

    # _compat types httpx as classic httpx; at run time it is the SDK's own (httpx2 for openai 3)
    pool = openai.DefaultAsyncHttpxClient(
        limits=httpx.Limits(  # type: ignore[arg-type]
            max_connections=POOL_CONNECTIONS, max_keepalive_connections=POOL_KEEPALIVE,
            keepalive_expiry=30.0),
        timeout=settings.llm_timeout_s,
    )
    model = ChatOpenAI(
        http_async_client=pool,
        base_url=settings.openai_base_url,
        model=settings.openai_model,
        api_key=settings.openai_api_key,
        timeout=settings.llm_timeout_s,
        max_retries=0,
        streaming=streaming,
        temperature=settings.llm_temperature,
        max_completion_tokens=settings.llm_max_tokens,
    )
    model.async_client = PlainTextCompletions(model.async_client)
    return model


class PlainTextCompletions:
    """openai's async chat.completions with a cheap path for plain-text chats.

    The SDK's create() walks every message through a union of six TypedDicts to rename aliased
    keys, which text messages do not have: about 0.2 ms of CPU per message, so a 40-turn
    session paid ~16 ms per turn, growing with the conversation. When every message is a plain
    {role, content: str[, name]} dict, the list goes in `extra_body` (the SDK merges it into the
    JSON unchanged, taking precedence) and create() sees an empty list; the request body on the
    wire is the same. Anything else goes through the SDK untouched.

    A streamed answer is handed over as the server's JSON dicts, not as ChatCompletionChunk
    models: ChatOpenAI accepts dicts and would model_dump() each model straight back, and
    building them was a fifth of the API server's CPU per turn (py-spy, bench/api_latency.py).
    The SDK still does the request, the SSE decoding and error events; only its final
    construct step is skipped, through the stream's cast type (`object` means "as decoded").
    """

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    async def create(self, **params: Any) -> Any:
        messages = params.get("messages")
        extra = dict(params.get("extra_body") or {})
        if isinstance(messages, list) and "messages" not in extra and all(
                _plain(m) for m in messages):
            extra["messages"] = messages
            params = {**params, "messages": [], "extra_body": extra}
        result = await self._inner.create(**params)
        if params.get("stream") and getattr(result, "_cast_to", None) is not None:
            result._cast_to = object  # read when iteration starts: chunks stay dicts
        return result


def _plain(message: Any) -> bool:
    return (type(message) is dict and isinstance(message.get("content"), str)
            and message.keys() <= {"role", "content", "name"})


def build_voice(settings: Settings, voice: str | None = None) -> ClientVoice:
    """The configured voice: 'scripted' (offline default) or 'openai' (any compatible server)."""
    kind = voice or settings.voice
    if kind == "scripted":
        return ScriptedVoice()
    if kind == "openai":
        return LLMVoice(
            build_chat_model(settings),
            timeout_s=settings.llm_timeout_s,
            retries=settings.llm_max_retries,
            model_name=settings.openai_model,
            history_exchanges=settings.llm_history_turns,
        )
    raise ValueError(f"unknown voice {kind!r} (allowed: scripted, openai)")


def build_fallback_voice() -> ClientVoice:
    """The scripted voice, which takes over (with a notice) when the LLM voice fails."""
    return ScriptedVoice()
