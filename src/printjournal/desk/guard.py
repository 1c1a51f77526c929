"""A desk app and how it is reached in; the checks every request passes, out.

Installed on the Flask app by :func:`guard`, before any route runs:

- the body is limited (``max_body`` bytes: a leaflet form is a few kB) before it is read;
- the ``Host`` header must name the desk's own address (so DNS rebinding cannot reach a
  desk listening on 127.0.0.1), unless the desk listens beyond loopback with a password;
- with a password hash (``DeskAccess.password_hash``, made by
  ``werkzeug.security.generate_password_hash``), every request needs HTTP basic auth;
- a POST must come from the desk's own pages: its ``Origin`` (when the browser sends one)
  names the desk, and it carries the form's CSRF token (:func:`csrf_token`), the same in
  every desk of the project (:func:`shared_secret`), so that desks side by side behind a
  reverse proxy (``DeskAccess.public``: the address it serves them at) take each other's
  forms;

and every response carries ``X-Content-Type-Options``, a Content-Security-Policy without
inline script and with ``frame-ancestors 'none'`` (for a PDF, one that leaves the browser's
PDF viewer alone), and ``Referrer-Policy``.
"""

from __future__ import annotations

import contextlib
import errno
import ipaddress
import os
import re
import secrets
import socket
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, Response, abort, request

from ..errors import PrintjournalError

CSRF_FIELD = "csrf"
PASSWORD_VARIABLE = "PRINTJOURNAL_DESK_PASSWORD_HASH"
SECRET_VARIABLE = "PRINTJOURNAL_DESK_SECRET"     # the desks' CSRF token, on several machines
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
PUBLIC_HOST = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:\d{1,5})?$")
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                               "script-src 'self'; base-uri 'none'; form-action 'self'; "
                               "frame-ancestors 'none'",
    "Referrer-Policy": "same-origin",   # "no-referrer" would make a POST's Origin "null"
    "X-Frame-Options": "DENY",
}
# a PDF is shown by the browser's own viewer, which an object-src or default-src limit can
# stop: its policy keeps the rest (no script, no framing, no forms, no base)
PDF_POLICY = "script-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"


class AccessError(PrintjournalError, ValueError):
    """The desk would be open to others without protection (said as a usage error)."""

    usage = True


@dataclass(frozen=True)
class DeskAccess:
    """Where the desk listens and who may use it."""

    host: str = "127.0.0.1"
    port: int = 8040
    password_hash: str = ""          # werkzeug's generate_password_hash; "" for none
    insecure: bool = False           # listen beyond loopback without a password, on purpose
    max_body: int = 16 * 1024        # bytes of one request body
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32), repr=False)
    public: str = ""                 # "name[:port]" a reverse proxy serves the desk at

    def check(self) -> None:
        """Refuse to open the desk beyond this machine without a password or --insecure,
        or on a port that is taken."""
        beyond = f"--public-host {self.public}" if self.public else \
            f"--host {self.host}" if not is_loopback(self.host) else ""
        if beyond and not self.password_hash and not self.insecure:
            raise AccessError(
                f"{beyond} lets anyone on the network print leaflets. Set "
                f"{PASSWORD_VARIABLE} to a password hash (see the README, 'The leaflet "
                "desk'), or give --insecure if the network is trusted")
        if self.public and not PUBLIC_HOST.match(self.public):
            raise AccessError(f"--public-host must be a host name, with its port if not the "
                              f"default, such as desk.clinic.example, not '{self.public}'")
        try:
            infos = socket.getaddrinfo(self.host, self.port, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise AccessError(f"--host {self.host} is not an address of this machine "
                              f"({exc.strerror})") from None
        family, kind, proto, _name, address = infos[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(address)
            except OSError as exc:
                if exc.errno == errno.EADDRINUSE:
                    raise AccessError(f"port {self.port} is in use: is the desk already "
                                      "running? Try --port") from None
                raise AccessError(f"cannot listen on {self.host} port {self.port}: "
                                  f"{exc.strerror}") from None

    def host_allowed(self, host_header: str) -> bool:
        """Whether a request's Host header names this desk (or the proxy serving it)."""
        name, port = split_host(host_header)
        if self.public and name and (name, port) == split_host(self.public):
            return True
        if port != self.port and not (port is None and self.port == 80):
            return False
        if is_loopback(self.host):
            return name in LOOPBACK_NAMES
        if self.password_hash:      # the password, not the name, guards a network desk
            return True
        return self.host in ("0.0.0.0", "::") or name == self.host


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def split_host(value: str) -> tuple[str, int | None]:
    """``Host`` or an origin's netloc → (name, port or None); ("", None) if malformed."""
    try:
        parts = urlsplit(f"//{value}")
        return (parts.hostname or ""), parts.port
    except ValueError:
        return "", None


def guard(app: Flask, access: DeskAccess) -> None:
    """Install the request checks and response headers on ``app``."""
    app.config["MAX_CONTENT_LENGTH"] = access.max_body
    app.config["MAX_FORM_MEMORY_SIZE"] = access.max_body
    app.config["MAX_FORM_PARTS"] = 100

    @app.before_request
    def check_request() -> None:
        if not access.host_allowed(request.host):
            abort(400, "This address is not the leaflet desk's: open it by its own address.")
        if access.password_hash and not _authorised(access.password_hash):
            abort(401, "The leaflet desk needs its password.")
        if request.method == "POST":
            _check_post(access)

    @app.after_request
    def headers(response: Response) -> Response:
        if response.mimetype == "application/pdf":
            response.headers.setdefault("Content-Security-Policy", PDF_POLICY)
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if response.status_code == 401:
            response.headers["WWW-Authenticate"] = 'Basic realm="leaflet desk", charset="UTF-8"'
        return response


def shared_secret(folder: Path) -> str:
    """The CSRF token of every desk of a project: SECRET_VARIABLE when set (desks on
    several machines set the same), else the one kept in ``folder``/desk-secret (mode
    600), made by the first desk started on this machine."""
    given = os.environ.get(SECRET_VARIABLE, "")
    if given:
        if len(given) < 32:
            raise AccessError(f"{SECRET_VARIABLE} must be at least 32 characters (make one "
                              "with: python3 -c 'import secrets; print(secrets.token_urlsafe())')")
        return given
    path = folder / "desk-secret"
    if not path.is_file():           # written whole, then linked: no desk reads half of it
        folder.mkdir(parents=True, exist_ok=True)
        temp = folder / f".desk-secret.{os.getpid()}.tmp"
        temp.unlink(missing_ok=True)
        descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(32))
        with contextlib.suppress(FileExistsError):   # another desk made it first: theirs
            os.link(temp, path)
        temp.unlink()
    return path.read_text(encoding="ascii").strip()


def csrf_token(access: DeskAccess) -> str:
    """The token the desk's own forms carry in the hidden field ``CSRF_FIELD``."""
    return access.csrf


def _authorised(password_hash: str) -> bool:
    from werkzeug.security import check_password_hash

    auth = request.authorization
    return bool(auth and auth.type == "basic" and auth.password
                and check_password_hash(password_hash, auth.password))


def _check_post(access: DeskAccess) -> None:
    length = request.content_length
    if length is None and request.headers.get("Transfer-Encoding"):
        abort(411, "Send the form with its length.")
    if length is not None and length > access.max_body:
        abort(413, "The form is too large for a leaflet.")
    origin = request.headers.get("Origin")
    if origin is not None and split_host(urlsplit(origin).netloc) != split_host(request.host):
        abort(403, "This form did not come from the leaflet desk's own page.")
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
        abort(403, "This form did not come from the leaflet desk's own page.")
    token = request.form.get(CSRF_FIELD, "")
    if not secrets.compare_digest(token.encode(), access.csrf.encode()):
        abort(403, "This form has expired: reload the library page and try again.")
