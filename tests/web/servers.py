"""Real servers for the web tests: gunicorn processes with placelab's configuration, a
browser made of urllib (cookies, CSRF tokens, no redirects followed), and a relay to
PostgreSQL that can be cut, as a database that goes away does."""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, Request, build_opener

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    base: str
    access_log: Path
    error_log: Path

    def logs(self) -> str:
        return self.access_log.read_text() + self.error_log.read_text()


def start_gunicorn(tmp: Path, name: str, **env: str) -> tuple[subprocess.Popen, Server]:
    """gunicorn -c placelab/web/gunicorn_conf.py with two workers, answering within 30 s."""
    port = free_port()
    server = Server(f"http://127.0.0.1:{port}", tmp / f"{name}-access.log", tmp / f"{name}.log")
    environment = {
        **os.environ,
        "PLACELAB_BIND": f"127.0.0.1:{port}",
        "PLACELAB_WEB_WORKERS": "2",
        "PLACELAB_ACCESS_LOG": str(server.access_log),
        **env,
    }
    command = [str(GUNICORN), "-c", "placelab/web/gunicorn_conf.py", "placelab.web.wsgi"]
    with server.error_log.open("w") as errors:
        process = subprocess.Popen(
            command, cwd=ROOT, env=environment, stdout=errors, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, server.error_log.read_text()
        try:
            status, _, _ = Browser().get(server.base, "/static/placelab/site.css")
            if status == 200:
                return process, server
        except OSError:
            pass
        time.sleep(0.2)
    process.terminate()
    raise AssertionError(f"gunicorn did not answer: {server.error_log.read_text()}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class _NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One person's browser: its cookies (which ignore the port) go to whichever server."""

    def __init__(self) -> None:
        self.opener = build_opener(HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect)

    def get(self, base: str, path: str) -> tuple[int, dict, str]:
        return self._open(Request(base + path))

    def post(self, base: str, path: str, data: dict) -> tuple[int, dict, str]:
        """Post ``data`` with the CSRF token of the form that a GET of ``path`` shows."""
        return self.submit(base, path, self.form(base, path), data)

    def form(self, base: str, path: str) -> str:
        """Open the page at ``path``; its form's CSRF token."""
        status, _, page = self.get(base, path)
        assert status == 200, (path, status)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]

    def submit(self, base: str, path: str, csrf: str, data: dict) -> tuple[int, dict, str]:
        body = urlencode({"csrfmiddlewaretoken": csrf, **data}, doseq=True).encode()
        return self._open(Request(base + path, data=body))

    def _open(self, request: Request) -> tuple[int, dict, str]:
        try:
            with self.opener.open(request, timeout=30) as answer:
                return answer.status, dict(answer.headers), answer.read().decode()
        except HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()


class CuttableLink:
    """A TCP relay on loopback to PostgreSQL that can be cut (every connection closed, new
    ones refused) and restored: a database that goes away mid-survey and comes back."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream, self.open, self.sockets = upstream, True, []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def cut(self) -> None:
        self.open = False
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
                sock.close()
        self.sockets.clear()

    def restore(self) -> None:
        self.open = True

    def _accept(self) -> None:
        while True:
            client, _ = self.listener.accept()
            if not self.open:
                client.close()
                continue
            server = socket.create_connection(self.upstream)
            self.sockets += [client, server]
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                target.sendall(data)
        with contextlib.suppress(OSError):
            target.shutdown(socket.SHUT_WR)
