"""A fake OpenAI-compatible chat server on loopback, for API fault tests and bench/api_latency.py.

Runs an asyncio server in its own thread. Each request to /v1/chat/completions takes the next
queued behaviour, else the default one:
  ("stream", text, total_latency_s)  stream `text` word by word over total_latency_s (a list of
                                     texts: one per request, in turn)
  ("fail_mid", text)                 send half the words, then drop the connection (no [DONE])
  ("hang", seconds)                  accept and say nothing (the client must time out)
  ("garbage",)                       200 text/event-stream with a body that is not JSON
  ("status", code)                   an error status with an OpenAI-style error body
  ("empty", seconds)                 200, then a chunk with empty content every 50 ms (bounded)
It records the server-side duration of every request (`durations`), so a benchmark can divide
end-to-end latency by the fake server's own latency measured in the same run.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from typing import Any

Behaviour = tuple[Any, ...]


class FakeLLMServer:
    def __init__(self, default: Behaviour = ("stream", "I guess. Whatever.", 0.0)) -> None:
        self.default = default
        self.behaviours: list[Behaviour] = []
        self.requests: list[dict[str, Any]] = []
        self.durations: list[float] = []
        self.spans: list[tuple[float, float]] = []  # (start, end) perf_counter per request
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        self._ready.wait(10)
        self.url = f"http://127.0.0.1:{self.port}/v1"

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._handle, "127.0.0.1", 0, backlog=1024))
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    def close(self) -> None:
        async def stop() -> None:
            self._server.close()
            me = asyncio.current_task()
            tasks = [t for t in asyncio.all_tasks() if t is not me]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(stop(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:  # keep-alive: several requests per connection
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.decode("latin-1").split("\r\n"):
                    if line.lower().startswith("content-length:"):
                        length = int(line.split(":", 1)[1])
                body = await reader.readexactly(length) if length else b"{}"
                self.requests.append(json.loads(body or b"{}"))
                step = self.behaviours.pop(0) if self.behaviours else self.default
                start = time.perf_counter()
                keep = await self._serve(writer, step)
                self.durations.append(time.perf_counter() - start)
                self.spans.append((start, time.perf_counter()))
                if not keep:
                    break
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.transport.abort()

    @staticmethod
    def _chunk(content: str) -> bytes:
        body = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0,
                "model": "fake-model",
                "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": None}]}
        data = f"data: {json.dumps(body)}\n\n".encode()
        return f"{len(data):x}\r\n".encode() + data + b"\r\n"

    async def _serve(self, w: asyncio.StreamWriter, step: Behaviour) -> bool:
        kind = step[0]
        if kind == "hang":
            await asyncio.sleep(step[1])
            return False
        if kind == "status":
            payload = json.dumps({"error": {"message": "boom", "type": "server_error"}}).encode()
            w.write(f"HTTP/1.1 {step[1]} Error\r\ncontent-type: application/json\r\n"
                    f"content-length: {len(payload)}\r\n\r\n".encode() + payload)
            await w.drain()
            return True
        w.write(b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
                b"transfer-encoding: chunked\r\n\r\n")
        if kind == "garbage":
            data = b"data: {this is not json\n\n"
            w.write(f"{len(data):x}\r\n".encode() + data + b"\r\n0\r\n\r\n")
            await w.drain()
            return False
        if kind == "empty":  # keep-alive chunks with no text, until the client gives up
            until = time.perf_counter() + step[1]
            while time.perf_counter() < until:
                w.write(self._chunk(""))
                await w.drain()
                await asyncio.sleep(0.05)
            return False
        text = step[1]
        if isinstance(text, (list, tuple)):  # several replies, in turn: a client never repeats
            text = text[(len(self.requests) - 1) % len(text)]
        words = text.split(" ")
        if kind == "fail_mid":
            for word in words[: max(1, len(words) // 2)]:
                w.write(self._chunk(word + " "))
            await w.drain()
            w.transport.abort()
            return False
        latency = step[2] if len(step) > 2 else 0.0
        pause = latency / max(1, len(words))
        for i, word in enumerate(words):
            if pause:
                await asyncio.sleep(pause)
            w.write(self._chunk(word if i == len(words) - 1 else word + " "))
            await w.drain()
        done = b"data: [DONE]\n\n"
        w.write(f"{len(done):x}\r\n".encode() + done + b"\r\n0\r\n\r\n")
        await w.drain()
        return True
