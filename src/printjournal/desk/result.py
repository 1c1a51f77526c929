"""A leaflet the desk made in, held for its result page a few minutes out.

``POST /leaflet`` does not answer with the PDF: it answers with a redirect to a result page
(so the browser's history and a reload never hold or resend the patient's name), which
offers the PDF, says how to print it, lists the warnings, and offers "Next patient".
The PDF waits here, in the desk's memory only, under an unguessable token, until "Next
patient" or a few minutes pass — never in a file, a cache or a log.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

KEEP_SECONDS = 600      # how long a made leaflet stays ready to open
# bytes of leaflets held at once; past it the oldest goes first. A budget of bytes, not a
# count: at 40 leaflets asked for at once, a count of 32 dropped the first ones made before
# staff could open them
BUDGET = 256 * 2**20


@dataclass(frozen=True)
class Made:
    """What a worker returns for one leaflet (picklable)."""

    data: bytes
    pages: int           # leaflet pages (A5 pages for a booklet)
    sheets: int          # booklet sheets; 0 when not a booklet
    notices: tuple[str, ...]   # the warnings the render gave, one line each


@dataclass(frozen=True)
class Held:
    made: Made
    slugs: tuple[str, ...]
    until: float


class HeldLeaflets:
    """Made leaflets by token, each for ``keep`` seconds; thread-safe (waitress threads)."""

    def __init__(self, keep: float = KEEP_SECONDS, budget: int = BUDGET,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._keep, self._budget, self._clock = keep, budget, clock
        self._held: OrderedDict[str, Held] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, made: Made, slugs: tuple[str, ...]) -> str:
        token = secrets.token_urlsafe(24)
        with self._lock:
            self._drop_old()
            self._held[token] = Held(made, slugs, self._clock() + self._keep)
            held = sum(len(h.made.data) for h in self._held.values())
            while held > self._budget and len(self._held) > 1:    # the newest stays
                held -= len(self._held.popitem(last=False)[1].made.data)
        return token

    def get(self, token: str) -> Held | None:
        with self._lock:
            self._drop_old()
            return self._held.get(token)

    def forget(self, token: str) -> None:
        with self._lock:
            self._held.pop(token, None)

    def _drop_old(self) -> None:
        now = self._clock()
        for token in [t for t, held in self._held.items() if held.until <= now]:
            del self._held[token]
