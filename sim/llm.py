"""Builds the client's voice from Settings: the only module that imports an LLM provider.

Every OpenAI-compatible server (OpenAI, vLLM, Ollama, llama.cpp server, LM Studio) is reached
through langchain-openai's ChatOpenAI with a configurable base URL, model and key. The SDK's own
retries are turned off: the voice has exactly one retry layer of its own (sim/engine/voice.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.config import Settings
from sim.engine.voice import ClientVoice, LLMVoice, ScriptedVoice

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel


def build_chat_model(settings: Settings, streaming: bool = True) -> BaseChatModel:
    """ChatOpenAI pointed at settings.openai_base_url (None = api.openai.com)."""
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
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
