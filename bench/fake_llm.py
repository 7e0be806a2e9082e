"""The fake OpenAI-compatible server of tests/api/fake_llm_server.py, run in its own process for
the latency bench, as a real LLM server would be."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _fake_server_module():
    spec = importlib.util.spec_from_file_location("fake_llm_server",
                                                  ROOT / "tests" / "api" / "fake_llm_server.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _serve_fake(conn, default) -> None:  # type: ignore[no-untyped-def]
    """Child process: the fake LLM server, answering the bench's requests over a pipe."""
    fake = _fake_server_module().FakeLLMServer(default=default)
    conn.send(fake.url)
    while True:
        command = conn.recv()
        if command == "clear":
            fake.durations.clear()
            conn.send(None)
        elif command == "durations":
            conn.send(list(fake.durations))
        else:
            fake.close()
            conn.send(None)
            return


class FakeLLMProcess:
    """The fake LLM in its own process, as a real LLM server is: in session 6 it ran as a
    thread of this bench, so its word-by-word streaming and the bench's 1,000 HTTP clients
    took turns on one GIL, and the client's own lag was counted as the API's."""

    def __init__(self, default: tuple[object, ...]) -> None:
        import multiprocessing

        self.default = default
        ctx = multiprocessing.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._proc = ctx.Process(target=_serve_fake, args=(child, default), daemon=True)
        self._proc.start()
        self.url: str = self._conn.recv()

    def durations(self) -> list[float]:
        """Seconds each request took in the fake server (one round trip over the pipe)."""
        self._conn.send("durations")
        return list(self._conn.recv())

    def clear_durations(self) -> None:
        self._conn.send("clear")
        self._conn.recv()

    def close(self) -> None:
        self._conn.send("close")
        self._conn.recv()
        self._proc.join(10)

