"""The render cache shared between machines: on an S3-compatible object store (moto's
server, started here as a process of its own on 127.0.0.1 and stopped afterwards) and
in a folder on a shared filesystem. Entries are written whole, read verified, shared by
clones of a project at other paths, and never mixed by builders writing at once."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from printjournal import cache
from printjournal.errors import OutputError
from printjournal.load import config
from printjournal.site import build as site

from .conftest import TmpProject
from .site_helpers import Collect
from .test_site import article

BUCKET = "pj-cache"
URL = f"s3://{BUCKET}/team"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@contextlib.contextmanager
def s3_server(folder: Path, **settings: str) -> Iterator[tuple[subprocess.Popen, Any]]:
    """An S3 endpoint (moto's server process) with an empty bucket, and a client of it;
    the environment says where it is and who we are, as it would on a build machine."""
    import s3fs

    port = free_port()
    log = folder / "moto.log"
    process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1",
                                "-p", str(port)], stdout=log.open("w"),
                               stderr=subprocess.STDOUT)
    try:
        with pytest.MonkeyPatch.context() as env:
            for name, value in {"AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
                                "AWS_ACCESS_KEY_ID": "testing",
                                "AWS_SECRET_ACCESS_KEY": "testing",
                                "AWS_DEFAULT_REGION": "us-east-1", **settings}.items():
                env.setenv(name, value)
            env.delenv("AWS_PROFILE", raising=False)
            deadline = time.monotonic() + 60
            while not listening(port):
                assert process.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "moto's server did not start"
                time.sleep(0.1)
            s3fs.S3FileSystem.clear_instance_cache()
            fs = s3fs.S3FileSystem(use_listings_cache=False)
            fs.mkdir(BUCKET)
            yield process, fs
            s3fs.S3FileSystem.clear_instance_cache()
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    with s3_server(tmp_path_factory.mktemp("moto")) as (_, fs):
        yield fs


def cached_project(root: Path, place: str, beta: bool = True) -> TmpProject:
    project = TmpProject(root)
    project.write("printjournal.toml", (root / "printjournal.toml").read_text()
                  + f'\n[build]\ncache = "{place}"\n')
    project.article("alpha", article("Alpha"))
    if beta:
        project.article("beta", article("Beta", "Other words [@one]."))
    return project


def local_entries(project: TmpProject) -> list[Path]:
    return sorted((project.root / ".printjournal-cache").glob("??/*.pdf"))


def every_pdf(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*.pdf"))}


def test_a_build_with_the_cache_on_s3_is_reused_by_another_clone_and_checked(s3, tmp_path):
    here = cached_project(tmp_path / "here", URL)
    first = site.build_site(here.project(), here.root / "dist", reporter=Collect())
    assert (first.built, first.reused, first.failed) == (2, 0, 0)
    objects = sorted(s3.find(f"{BUCKET}/team"))
    assert len(objects) == 2 and not local_entries(here)     # on the store only
    for name in objects:       # each named with its key and the SHA-256 of its bytes
        assert hashlib.sha256(s3.cat_file(name)).hexdigest() == name.split(".")[-2]

    # another machine: a clone at another path, nothing built there yet
    there = tmp_path / "there"
    shutil.copytree(here.root, there, symlinks=True,
                    ignore=shutil.ignore_patterns(".printjournal-cache", "dist"))
    second = site.build_site(config.load_project(there), there / "dist", reporter=Collect())
    assert (second.built, second.reused, second.warnings) == (0, 2, ())
    assert every_pdf(there / "dist") == every_pdf(here.root / "dist")

    # an object overwritten on the store with another article's PDF (a valid PDF, the
    # wrong leaflet): a miss, said, rendered again and put back whole
    beta = (here.root / "dist/articles/beta.pdf").read_bytes()
    damaged = next(n for n in objects if s3.cat_file(n) == beta)
    s3.pipe_file(damaged, (here.root / "dist/articles/alpha.pdf").read_bytes())
    third = site.build_site(config.load_project(there), there / "dist3", reporter=Collect())
    assert (third.built, third.reused) == (1, 1)
    assert [n.message for n in third.warnings] == [
        "the render cache entry for articles/beta.pdf was damaged: rebuilt"]
    assert every_pdf(there / "dist3") == every_pdf(here.root / "dist")
    assert sorted(s3.find(f"{BUCKET}/team")) == objects
    assert s3.cat_file(damaged) == beta

    # --clean drops this machine's cache folder, never the shared store
    fourth = site.build_site(config.load_project(there), there / "dist", clean=True,
                             reporter=Collect())
    assert (fourth.built, fourth.reused) == (0, 2)


def test_a_cache_folder_on_a_shared_filesystem_serves_every_clone(tmp_path):
    shared = tmp_path / "shared-cache"
    here = cached_project(tmp_path / "here", "../shared-cache", beta=False)  # relative
    assert site.build_site(here.project(), here.root / "dist", reporter=Collect()).built == 1
    assert len(list(shared.glob("??/*.pdf"))) == 1 and not local_entries(here)
    there = cached_project(tmp_path / "there", "../shared-cache", beta=False)
    summary = site.build_site(there.project(), there.root / "dist", reporter=Collect())
    assert (summary.built, summary.reused) == (0, 1)
    assert every_pdf(there.root / "dist") == every_pdf(here.root / "dist")


def writers_at_once(store: cache.RenderCache) -> None:
    """Eight builders put the same entry while eight others read it: every read is
    nothing yet or the whole entry, never part of it, and one entry is left."""
    data = b"%PDF-1.7\n" + bytes(range(256)) * 2048       # half a MiB: written in parts
    key = hashlib.sha256(b"an output").hexdigest()

    def put(_: int) -> None:
        store.put(key, data)

    def get(_: int) -> bytes | None:
        return store.verified(key)

    with ThreadPoolExecutor(16) as pool:
        puts = [pool.submit(put, i) for i in range(8)]
        reads = [pool.submit(get, i) for i in range(8)]
        for future in puts:
            future.result()
        assert {future.result() for future in reads} <= {None, data}
    assert store.verified(key) == data
    assert store.entries.names(key) == [f"{key[:2]}/{key}.{hashlib.sha256(data).hexdigest()}.pdf"]


def test_builders_writing_one_entry_at_once_never_mix_it_on_s3(s3, tmp_path):
    writers_at_once(cache.RenderCache(tmp_path, cache.ObjectStore(f"s3://{BUCKET}/at-once")))


def test_builders_writing_one_entry_at_once_never_mix_it_in_a_folder(tmp_path):
    writers_at_once(cache.RenderCache(tmp_path, cache.FolderStore(tmp_path / "shared")))


def test_an_object_store_that_cannot_be_reached_stops_the_build_plainly(tmp_path, monkeypatch):
    import s3fs

    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")  # no one there
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": "us-east-1", "AWS_MAX_ATTEMPTS": "1"}.items():
        monkeypatch.setenv(name, value)
    s3fs.S3FileSystem.clear_instance_cache()
    try:
        project = cached_project(tmp_path / "project", URL)
        with pytest.raises(OutputError, match=f"^the render cache {URL} cannot be read: "):
            site.build_site(project.project(), project.root / "dist", reporter=Collect())
        assert not (project.root / "dist/articles").exists()       # nothing half-written
    finally:
        s3fs.S3FileSystem.clear_instance_cache()


def test_a_desk_prints_on_when_the_cache_on_s3_stops_and_says_so_once(tmp_path, caplog):
    """Issue 16: a desk whose shared render cache stops answering renders without it,
    says so once in its log and once on a leaflet's warnings, leaves the store alone
    for a while and then asks it again; a build still stops plainly."""
    from printjournal.desk import web

    from .test_leaflet_errors import CLINICS
    from .test_web import ACCESS, TODAY, InlinePool, post, text

    project = cached_project(tmp_path / "project", URL)
    project.write("printjournal.toml", (project.root / "printjournal.toml").read_text()
                  + CLINICS)
    (tmp_path / "moto").mkdir()
    with s3_server(tmp_path / "moto", AWS_MAX_ATTEMPTS="1") as (server, fs):
        loaded = project.project()
        desk = web.create_app(loaded, web.DeskSettings(dist=tmp_path / "dist"),
                              pool=InlinePool(loaded), today=lambda: TODAY,
                              access=ACCESS).test_client()

        def leaflet(slug: str) -> str:
            made = post(desk, {"slug": slug})
            assert made.status_code == 303
            return text(desk.get(made.headers["Location"]))

        said = "printing without the shared render cache"
        assert said not in leaflet("alpha")
        assert fs.find(f"{BUCKET}/team")                   # the cache was used
        server.terminate()
        server.wait(timeout=30)

        caplog.set_level(logging.WARNING, logger="printjournal")
        first = leaflet("beta")                            # rendered without the cache
        assert f"printjournal.toml: warning: the render cache {URL} cannot be read" in first
        assert said in first
        assert desk.get(made_pdf(first)).data.startswith(b"%PDF-")
        assert said not in leaflet("alpha")                # said once, not on every request
        assert desk.get("/").status_code == 200            # page counts: no cache, no error
        logged = lambda: [r for r in caplog.records if said in r.getMessage()]   # noqa: E731
        assert len(logged()) == 1

        marker = project.root / ".printjournal-cache" / "shared-cache-down"
        paused = time.time() - cache.RETRY_SECONDS - 1     # as if the pause were over
        os.utime(marker, (paused, paused))
        assert said not in leaflet("beta")                 # asked again: still down
        assert marker.stat().st_mtime > paused + 30 and len(logged()) == 1

        with pytest.raises(OutputError, match=f"^the render cache {URL} cannot be read: "):
            site.build_site(loaded, project.root / "dist", reporter=Collect())


def made_pdf(result_page: str) -> str:
    """The address of the PDF a desk's result page links to."""
    import re

    return re.search(r'href="(/leaflets/[^"]+/leaflet\.pdf)"', result_page)[1]
