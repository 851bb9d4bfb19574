"""Trouble the local LINE API makes on the calls that send (push, multicast), the way LINE can: a share of
calls fail with a 5xx or a time-out, some of them after LINE had already taken the message (LINE's own words:
"even if you get such error, there is a possibility that your message was delivered"), every call may be slow,
and for a while every call may be answered 429. Set on `LineWorld.trouble`; the draws come from a seeded
generator, so that a run can be repeated.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field

RATE_LIMITED = "The API rate limit has been exceeded. Try again later."
SERVER_ERRORS = (500, 502, 503)


@dataclass(frozen=True)
class Failure:
    status: int  # answered once the call is given up on (a time-out: after `Trouble.stall`)
    taken: bool  # LINE took the message before failing: it went, and its retry key is spent
    timeout: bool


@dataclass
class Trouble:
    rate: float = 0.0  # the share of send calls that fail
    taken: float = 0.5  # of those, the share LINE had taken before failing
    timeouts: float = 0.5  # of those, the share that are time-outs (answered only after `stall`) rather than 5xx
    stall: float = 12.0  # seconds a time-out keeps the caller waiting: past the caller's read time-out
    delay: float = 0.0  # seconds every send call takes
    seed: int = 13
    throttled_until: float = 0.0  # time.time() until which every send call is answered 429
    _rng: random.Random = field(init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    def throttle(self, seconds: float) -> None:
        """Answer every send call 429 for the next `seconds`."""
        self.throttled_until = time.time() + seconds

    def throttled(self) -> bool:
        return time.time() < self.throttled_until

    def draw(self) -> Failure | None:
        """Whether this call fails, and how."""
        with self._lock:
            if self._rng.random() >= self.rate:
                return None
            taken, timeout = self._rng.random() < self.taken, self._rng.random() < self.timeouts
            return Failure(status=504 if timeout else self._rng.choice(SERVER_ERRORS), taken=taken, timeout=timeout)
