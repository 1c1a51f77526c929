"""Desks side by side: two ``printjournal serve`` processes of one project, on two ports,
take each other's forms (one CSRF token for every desk of the project, no sticky
sessions); a desk behind a reverse proxy accepts the proxy's address, and only with a
password (or --insecure)."""

from __future__ import annotations

import os
import re
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from printjournal.desk.guard import (
    PASSWORD_VARIABLE,
    SECRET_VARIABLE,
    AccessError,
    DeskAccess,
    shared_secret,
)

from .conftest import TmpProject
from .test_site import article


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, form: dict[str, str] | None = None) -> tuple[int, str]:
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    try:
        with urllib.request.urlopen(url, data=data, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@pytest.fixture(scope="module")
def desks(tmp_path_factory):
    """Two desks of one project, each a process of its own: their addresses."""
    project = TmpProject(tmp_path_factory.mktemp("desks") / "project")
    project.article("alpha", article("Alpha"))
    project.article("beta", article("Beta"))
    env = {k: v for k, v in os.environ.items() if k not in (SECRET_VARIABLE, PASSWORD_VARIABLE)}
    urls, servers = [], []
    try:
        for _ in range(2):
            port = free_port()
            servers.append(subprocess.Popen(
                [sys.executable, "-m", "printjournal", "-C", str(project.root), "serve",
                 "--port", str(port)], cwd=project.root, env=env,
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT))
            urls.append(f"http://127.0.0.1:{port}")
        for url, server in zip(urls, servers, strict=True):
            deadline = time.monotonic() + 120
            while not (_listening(url) and fetch(url + "/")[0] == 200):
                assert server.poll() is None, server.communicate()[0].decode()
                assert time.monotonic() < deadline, "the desk did not start"
                time.sleep(0.3)
        yield urls
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            output = server.communicate(timeout=30)[0].decode()
            assert "Traceback" not in output, output


def _listening(url: str) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", int(url.rsplit(":", 1)[1]))) == 0


def token(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page)[1]


def test_a_form_from_one_desk_is_taken_by_the_other(desks):
    first, second = desks
    status, page = fetch(first + "/")
    assert status == 200
    # the library form, fetched from the first desk, searched on the second
    status, found = fetch(second + "/", {"csrf": token(page), "q": "beta", "slug": "alpha"})
    assert status == 200
    assert 'value="beta"' in found and "Beta" in found
    assert re.search(r'name="slug" value="alpha"', found)    # what was ticked is kept
    assert token(found) == token(page)
    # and a form with another token is still refused
    status, refused = fetch(second + "/", {"csrf": token(page)[:-2] + "xx", "q": "beta"})
    assert status == 403 and "This form has expired" in refused


def test_every_desk_of_a_project_reads_one_secret_made_once(tmp_path, monkeypatch):
    monkeypatch.delenv(SECRET_VARIABLE, raising=False)
    folder = tmp_path / ".printjournal-cache"
    made = shared_secret(folder)
    assert len(made) >= 32 and shared_secret(folder) == made
    assert stat.S_IMODE((folder / "desk-secret").stat().st_mode) == 0o600
    assert [p.name for p in folder.iterdir()] == ["desk-secret"]    # no temporary file left
    # desks on several machines: the same secret given to each in the environment
    monkeypatch.setenv(SECRET_VARIABLE, "s" * 40)
    assert shared_secret(folder) == "s" * 40
    monkeypatch.setenv(SECRET_VARIABLE, "short")
    with pytest.raises(AccessError, match=f"^{SECRET_VARIABLE} must be at least 32 characters"):
        shared_secret(folder)


def test_a_desk_behind_a_reverse_proxy_takes_its_address_with_a_password_only():
    behind = DeskAccess("127.0.0.1", free_port(), password_hash="scrypt:x",
                        public="desk.clinic.example")
    assert behind.host_allowed("desk.clinic.example")
    assert behind.host_allowed(f"127.0.0.1:{behind.port}")
    assert not behind.host_allowed("desk.clinic.example:8443")
    assert not behind.host_allowed("elsewhere.example")
    behind.check()
    assert not DeskAccess("127.0.0.1", behind.port).host_allowed("desk.clinic.example")
    with pytest.raises(AccessError, match=r"^--public-host desk\.clinic\.example lets anyone "
                                          r"on the network print leaflets"):
        DeskAccess("127.0.0.1", behind.port, public="desk.clinic.example").check()
    with pytest.raises(AccessError, match=r"^--public-host must be a host name"):
        DeskAccess("127.0.0.1", behind.port, password_hash="scrypt:x",
                   public="https://desk.clinic.example/").check()
