"""The desk as it runs (``printjournal serve``: waitress and its real worker processes),
under faults: a worker killed, a huge body, a second desk on the same port."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import REPO


@dataclass(frozen=True)
class Desk:
    url: str
    port: int
    server: subprocess.Popen
    token: str


def workers_of(pid: int) -> list[int]:
    """The worker processes of the server ``pid`` (its children named as workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == pid and b"multiprocessing" in cmdline and b"resource_tracker" not in \
                cmdline:
            found.append(int(entry.name))
    return found


@pytest.fixture(scope="module")
def desk() -> Iterator[Desk]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "printjournal", "serve", "--port", str(port)],
                              cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        page = ""
        for _ in range(240):
            try:
                with urllib.request.urlopen(url + "/", timeout=5) as response:
                    page = response.read().decode()
                break
            except OSError:
                time.sleep(0.5)
        token = re.search(r'name="csrf" value="([^"]+)"', page)[1]
        yield Desk(url, port, server, token)
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0].decode()
        assert "Traceback" not in output, output
        assert "Killed Patient" not in output


def leaflet(desk: Desk, name: str) -> tuple[int, bytes]:
    data = urllib.parse.urlencode([("csrf", desk.token), ("slug", "sleep-and-immunity"),
                                   ("for_name", name)]).encode()
    try:
        # the form's answer is a redirect to the result page, which links the PDF
        with urllib.request.urlopen(desk.url + "/leaflet", data=data, timeout=120) as answer:
            result = answer.url
        with urllib.request.urlopen(result + "/leaflet.pdf", timeout=120) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_killed_workers_are_replaced_and_the_desk_goes_on(desk):
    status, body = leaflet(desk, "First Patient")
    assert status == 200 and body.startswith(b"%PDF")
    workers = workers_of(desk.server.pid)
    assert workers, "no worker processes found"
    for pid in workers:                        # idle workers die (the OOM killer, kill -9)
        os.kill(pid, signal.SIGKILL)
    time.sleep(0.5)
    for number in range(3):                    # every later request still works
        status, body = leaflet(desk, f"Killed Patient {number}")
        assert status == 200 and body.startswith(b"%PDF"), body[:300]
    assert not set(workers) & set(workers_of(desk.server.pid))


def test_a_huge_body_is_refused_before_it_is_read(desk):
    """A body announced as 300 MB is refused at once, without being sent or read."""
    with socket.create_connection(("127.0.0.1", desk.port), timeout=30) as connection:
        connection.sendall(
            b"POST /leaflet HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: 314572800\r\n\r\nfor_name=AAAA" % desk.port)
        answer = connection.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]


def test_a_second_desk_on_the_same_port_says_so(desk):
    second = subprocess.run([sys.executable, "-m", "printjournal", "serve", "--port",
                             str(desk.port)], cwd=REPO, capture_output=True, text=True,
                            timeout=60)
    assert second.returncode == 2
    assert f"port {desk.port} is in use: is the desk already running? Try --port" in \
        second.stderr
    assert "Traceback" not in second.stderr


def test_a_request_for_another_host_is_refused(desk):
    request = urllib.request.Request(desk.url + "/", headers={"Host": "evil.example"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 400
