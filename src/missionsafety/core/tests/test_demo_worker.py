"""The demo runs the task worker beside the server, printing mail to the console."""

from __future__ import annotations

from typing import Any

from missionsafety.management.commands import demo


def test_the_demo_starts_the_worker_with_console_mail(monkeypatch: Any) -> None:
    started: dict[str, Any] = {}

    class FakePopen:
        def __init__(self, args: list[str], env: dict[str, str]) -> None:
            started["args"], started["env"] = args, env

    monkeypatch.setattr(demo.subprocess, "Popen", FakePopen)
    monkeypatch.setenv("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
    demo.start_worker()
    assert started["args"][1:4] == ["-m", "missionsafety.cli", "worker"]
    assert (
        started["env"]["EMAIL_BACKEND"]
        == "django.core.mail.backends.console.EmailBackend"
    )


def test_the_demo_stops_its_worker_when_the_server_stops(monkeypatch: Any) -> None:
    events: list[str] = []

    class FakeWorker:
        def terminate(self) -> None:
            events.append("worker stopped")

        def wait(self, timeout: float) -> None:
            pass

    def serve(self: Any, port: int) -> None:
        events.append(f"served on {port}")

    def start_worker() -> FakeWorker:
        events.append("worker")
        return FakeWorker()

    monkeypatch.setattr(demo, "start_worker", start_worker)
    monkeypatch.setattr(demo.Command, "_serve", serve)
    monkeypatch.setattr(demo, "call_command", lambda *a, **k: None)
    monkeypatch.setattr(demo.Command, "_collectstatic", lambda self: None)
    demo.Command().handle(port=8123, no_serve=False)
    assert events == ["worker", "served on 8123", "worker stopped"]
