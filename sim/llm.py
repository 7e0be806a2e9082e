"""Builds the client's voice from Settings: the only module that imports an LLM provider.

Every OpenAI-compatible server (OpenAI, vLLM, Ollama, llama.cpp server, LM Studio) is reached
through langchain-openai's ChatOpenAI with a configurable base URL, model and key. The SDK's own
retries are turned off: the voice has exactly one retry layer of its own (sim/engine/voice.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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

    pool = openai.DefaultAsyncHttpxClient(
        limits=httpx.Limits(max_connections=POOL_CONNECTIONS,
                            max_keepalive_connections=POOL_KEEPALIVE, keepalive_expiry=30.0),
        timeout=settings.llm_timeout_s,
    )
    return ChatOpenAI(
        http_async_client=pool,
        base_url=settings.openai_base_url,
        model=settings.openai_model,
        api_key=settings.openai_api_key,
        timeout=settings.llm_timeout_s,
        max_retries=0,
        streaming=streaming,
        temperature=settings.llm_temperature,
    )


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
        )
    raise ValueError(f"unknown voice {kind!r} (allowed: scripted, openai)")


def build_fallback_voice() -> ClientVoice:
    """The scripted voice, which takes over (with a notice) when the LLM voice fails."""
    return ScriptedVoice()
