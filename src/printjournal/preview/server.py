"""An article's path in, a live preview out: a page on this machine (127.0.0.1 only)
showing the article's pages as images, re-rendered each time the file is saved.

- the file is watched with watchfiles (editors that save by renaming a new file over
  the old one included); only this article is rendered (work.py);
- a save while a render runs cancels that render: the page never shows an older
  version after a newer one;
- ``check`` problems are listed on the page with their lines (the last good pages stay
  below, dimmed), warnings too;
- the page (``layouts/preview.html`` and ``preview.js``) asks for ``/state`` a few times
  a second and swaps the images in place, so the scroll position is kept.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ..errors import relative
from ..model import Project
from .work import Renders, Result, Shown

HOSTS = ("127.0.0.1", "localhost")


class Preview:
    """The preview of one article: what is shown, the renders and the file watcher."""

    def __init__(self, project: Project, path: Path) -> None:
        self.project = project
        self.path = path.resolve()
        self.name = relative(self.path, project.root).as_posix()
        self._lock = threading.Lock()
        self._shown = Shown()
        self._changed = threading.Condition(self._lock)
        self._stop = threading.Event()
        self.renders = Renders(project.root, self.path, self._publish)

    @property
    def shown(self) -> Shown:
        with self._lock:
            return self._shown

    def _publish(self, number: int, result: Result) -> None:
        with self._lock:
            if number <= self._shown.version:
                return                         # never back to an older save
            old = self._shown
            good = bool(result.pages) or not result.problems
            self._shown = Shown(
                version=number, pages=result.pages if good else old.pages,
                texts=result.texts if good else old.texts, problems=result.problems,
                warnings=result.warnings, good=number if good else old.good)
            self._changed.notify_all()

    def wait(self, after: int, timeout: float) -> Shown:
        """What is shown once it is newer than ``after`` (or after ``timeout`` seconds)."""
        with self._changed:
            self._changed.wait_for(lambda: self._shown.version > after, timeout)
            return self._shown

    def start(self) -> None:
        """Render now, then on every save."""
        self.renders.save()
        threading.Thread(target=self._watch, daemon=True).start()

    def _watch(self) -> None:
        import watchfiles

        def mine(_change: object, name: str) -> bool:
            return Path(name).resolve() == self.path

        for _ in watchfiles.watch(self.path.parent, watch_filter=mine, debounce=60, step=20,
                                  stop_event=self._stop, recursive=False,
                                  raise_interrupt=False):
            if self.path.is_file():            # between a delete and its new file: wait
                self.renders.save()

    def close(self) -> None:
        self._stop.set()
        self.renders.close()


def state_json(preview: Preview, shown: Shown) -> bytes:
    return json.dumps({
        "file": preview.name, "version": shown.version, "good": shown.good,
        "pages": len(shown.pages), "texts": list(shown.texts),
        "problems": list(shown.problems), "warnings": list(shown.warnings),
    }).encode("utf-8")


def handler(preview: Preview, page: bytes, script: bytes) -> type[BaseHTTPRequestHandler]:
    """The request handler: the page, its script, ``/state`` and the page images."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            host = self.headers.get("Host", "").rsplit(":", 1)[0]
            if host not in HOSTS:              # no DNS rebinding: only this machine's names
                return self._send(403, "text/plain", b"preview is for this machine only")
            route, _, query = self.path.partition("?")
            if route == "/":
                return self._send(200, "text/html; charset=utf-8", page)
            if route == "/preview.js":
                return self._send(200, "text/javascript", script)
            if route == "/state":
                after = re.search(r"after=(\d+)", query)
                shown = preview.wait(int(after[1]) if after else -1, 10.0)
                return self._send(200, "application/json", state_json(preview, shown))
            image = re.fullmatch(r"/page/(\d+)/(\d+)\.png", route)
            shown = preview.shown
            if image and int(image[1]) == shown.good and 1 <= int(image[2]) <= len(shown.pages):
                return self._send(200, "image/png", shown.pages[int(image[2]) - 1],
                                  cache="max-age=3600, immutable")
            return self._send(404, "text/plain", b"not found")

        def _send(self, status: int, kind: str, body: bytes, cache: str = "no-store") -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", cache)
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Content-Security-Policy", "default-src 'self'; img-src 'self'; "
                             "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'")
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # tab closed
                self.wfile.write(body)

        def log_message(self, *args: object) -> None:   # quiet: no line per request
            pass

    return Handler


def server(project: Project, path: Path, port: int) -> tuple[ThreadingHTTPServer, Preview]:
    """The preview of the article at ``path``, started, and its server on 127.0.0.1."""
    from ..template.layouts import Layouts

    preview = Preview(project, path)
    page = Layouts(project).render("preview.html", file=preview.name).encode("utf-8")
    script = (project.layouts_dir / "preview.js").read_bytes()
    httpd = ThreadingHTTPServer(("127.0.0.1", port), handler(preview, page, script))
    httpd.daemon_threads = True
    preview.start()
    return httpd, preview


def serve(project: Project, path: Path, port: int,
          ready: Callable[[str], None] = print) -> None:
    """Preview the article at ``path`` on http://127.0.0.1:port/ until interrupted."""
    server_, preview = server(project, path, port)
    ready(f"previewing {preview.name} on http://127.0.0.1:{server_.server_address[1]}/ "
          "(Ctrl+C to stop)")
    try:
        server_.serve_forever()
    finally:
        server_.server_close()
        preview.close()
