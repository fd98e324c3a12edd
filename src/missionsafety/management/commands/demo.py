from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from missionsafety.core.demo import DEMO_PASSWORD
from missionsafety.demo import DEMO_USERS

CONSOLE_MAIL = "django.core.mail.backends.console.EmailBackend"


def start_worker() -> subprocess.Popen[bytes]:
    """The task worker, beside the server: it works out who is told of each
    change (the inbox) and sends the notification e-mail, which the demo
    prints to the console instead of mailing it."""
    env = {**os.environ, "EMAIL_BACKEND": CONSOLE_MAIL}
    return subprocess.Popen(
        [sys.executable, "-m", "missionsafety.cli", "worker", "--interval", "2"],
        env=env,
    )


class Command(BaseCommand):
    help = (
        "Prepare the embedded database with demo data and serve the application "
        "on http://127.0.0.1:PORT."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--no-serve", action="store_true", help="Prepare only; do not serve."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        port = options["port"]
        self.stdout.write("Preparing the database…")
        call_command("migrate", interactive=False, verbosity=0)
        self._collectstatic()
        call_command("load_demo", stdout=self.stdout)
        url = f"http://127.0.0.1:{port}/"
        lines = [
            "",
            "=" * 64,
            f"  Mission Safety is running at {url}",
            f"  Log in with any demo user below; password: {DEMO_PASSWORD}",
            "",
            *[f"    {name:<17} {role}" for name, role in DEMO_USERS],
            "",
            f"  API docs: {url}api/v1/docs   Database: {settings.DATABASES['default']['NAME']}",
            "  Notifications (inbox, e-mail) come from the task worker running",
            "  alongside, within seconds; e-mail is printed here (console backend).",
            "  Stop with Ctrl+C.",
            "=" * 64,
            "",
        ]
        self.stdout.write("\n".join(lines))
        if options["no_serve"]:
            return
        worker = start_worker()
        try:
            self._serve(port)
        finally:
            worker.terminate()
            worker.wait(timeout=10)

    def _collectstatic(self) -> None:
        """Collect (and compress) static files, skipped when nothing changed."""
        import hashlib
        from pathlib import Path

        from django.contrib.staticfiles.finders import get_finders

        digest = hashlib.sha256()
        for finder in get_finders():
            for path, storage in finder.list(["CVS", ".*", "*~"]):
                stat = Path(storage.path(path)).stat()
                digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
        marker = Path(settings.STATIC_ROOT) / ".collected"
        if marker.exists() and marker.read_text() == digest.hexdigest():
            return
        call_command("collectstatic", interactive=False, verbosity=0)
        marker.write_text(digest.hexdigest())

    def _serve(self, port: int) -> None:
        from gunicorn.app.wsgiapp import WSGIApplication

        class App(WSGIApplication):  # type: ignore[misc]
            def __init__(self, options: dict[str, Any]):
                self.options = options
                super().__init__()

            def load_config(self) -> None:
                for key, value in self.options.items():
                    self.cfg.set(key, value)

            def load(self) -> Any:
                from missionsafety.wsgi import application

                return application

        App(
            {
                "bind": f"127.0.0.1:{port}",
                "workers": 2,
                "threads": 4,
                "accesslog": None,
                "control_socket_disable": True,
            }
        ).run()
