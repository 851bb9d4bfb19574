"""The outbox's one sender: pushes stored with their retry keys (models.outbox) go out through the LINE seam.

Policy lives here, transport in bot.line. A call that fails for a while (5xx, time-out) is retried at once
with the same key a few times; LINE's 429 holds the delivery and tries again later with the same key (after
a growing pause for the rate limit, at the start of next month for the monthly limit); a refused token or
permission (401, 403) holds it too, since an admin can mend it. Only a 4xx that LINE documents as final
fails a delivery, and then per member: a refused multicast is split into one push per member, so that one
bad recipient does not fail the other 499. A 409 means LINE already took the key: sent.

One sender at a time: `drain` takes the outbox's lease (models.outbox.take_lease) or leaves the work to the
one who holds it, and renews it while it sends; a sender killed mid-send is taken over once its lease runs
out, and whatever it had sent but not yet written down goes again with the same keys (409: sent). Rows are
read in one transaction and written back in another; the calls go out from detached copies in between, so no
database transaction is open while waiting on LINE.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from bot.line import Line, LineError
from models.announcements import refresh_counts
from models.base import utcnow
from models.outbox import (
    LEASE,
    Delivery,
    next_month,
    queue,
    quota_read_before,
    record_quota,
    release_lease,
    take_lease,
    unsent,
)

log = logging.getLogger(__name__)

FINAL = frozenset({400, 404, 410, 413, 415, 422})  # LINE documents these as "the request itself is wrong"
MONTHLY = "monthly message quota reached"
RATE = "LINE's rate limit"
REFUSED = "LINE refused the channel's access token or permission"
PAUSE, LONGEST_PAUSE = timedelta(seconds=30), timedelta(hours=1)
QUOTA_FRESH = timedelta(minutes=15)  # how old a quota reading may be before an idle drain reads it again


def _pause(attempts: int, pause: timedelta = PAUSE) -> timedelta:
    return min(pause * 2 ** min(max(attempts - 1, 0), 8), LONGEST_PAUSE)


class Stream:
    """Deliveries sent on a pool of threads as they are handed over, within the month's quota (read once, then
    reserved delivery by delivery). The calls go out from detached copies, so no database lock is held while
    waiting on LINE; `finish` writes the results back in the caller's transaction. A crash before that only
    means a resend with the same retry keys, which LINE answers 409 and `Outbox.send` counts as delivered."""

    def __init__(self, outbox: Outbox, workers: int, record_quota: bool = True) -> None:
        self.outbox, self.record_quota = outbox, record_quota
        self.pool = ThreadPoolExecutor(max_workers=max(workers, 1), thread_name_prefix="outbox")
        self.left: int | None = 0
        self.quota_known = False
        self.sending: list[Delivery] = []
        self.held: list[Delivery] = []  # kept pending, their error saying why

    def submit(self, copies: Sequence[Delivery]) -> None:
        if not self.quota_known:
            self.left, self.quota_known = self.outbox.quota(self.record_quota), True
        allowed = self.outbox.within_quota(copies, self.left)  # marks the held copies' error
        if self.left is not None:
            self.left -= sum(len(copy.recipients) for copy in allowed)
        sending = {id(copy) for copy in allowed}
        self.held += [copy for copy in copies if id(copy) not in sending]
        self.sending += allowed
        for copy in allowed:
            self.pool.submit(self.outbox.send, copy)

    def finish(self, db: Session) -> int:
        """Wait for the calls, write every result back (in the caller's transaction); how many went."""
        self.pool.shutdown(wait=True)
        self.outbox.write_back(db, [*self.sending, *self.held])
        return sum(1 for copy in self.sending if copy.status == "sent")


@dataclass
class Outbox:
    """The sender: `drain` sends what is due; `send` sends one detached delivery with its retries."""

    sessions: sessionmaker[Session]
    line: Line
    retries: int = 3
    backoff: float = 0.5
    clock: Callable[[], datetime] = utcnow
    pause: timedelta = PAUSE  # the first wait after LINE's rate limit or an outage; it doubles with each attempt
    lease: timedelta = LEASE  # how long the outbox stays this sender's without a word from it
    holder: str = field(default_factory=lambda: uuid.uuid4().hex)
    _draining: threading.Lock = field(default_factory=threading.Lock)  # this process's threads, one at a time

    def send(self, delivery: Delivery) -> None:
        """Send one delivery (a detached copy), retrying at once with its own key; sets its status, error
        and next attempt, and `split` when LINE refused a multicast as a whole."""
        tries = 0
        while True:
            tries += 1
            delivery.attempts += 1
            try:
                self.line.send(delivery.recipients, delivery.messages, delivery.retry_key)
            except LineError as exc:
                if exc.status == 409:
                    break
                if exc.retryable and tries <= self.retries:
                    time.sleep(self.backoff * 2 ** (tries - 1))
                    continue
                self._refused(delivery, exc)
                return
            break
        delivery.status, delivery.sent_at, delivery.error, delivery.next_attempt_at = "sent", self.clock(), None, None

    def _refused(self, delivery: Delivery, exc: LineError) -> None:
        now = self.clock()
        delivery.error = str(exc)[:500]
        if exc.status in FINAL:
            delivery.status = "split" if len(delivery.recipients) > 1 else "failed"
            log.warning("delivery %s refused by LINE: %s", delivery.id, exc)
        elif exc.status == 429 and "monthly" in str(exc).lower():  # looked at again hourly: a plan can grow
            delivery.next_attempt_at, delivery.error = min(next_month(now), now + LONGEST_PAUSE), MONTHLY
        elif exc.status == 429:
            delivery.next_attempt_at, delivery.error = now + _pause(delivery.attempts, self.pause), RATE
        elif exc.status in (401, 403):
            delivery.next_attempt_at, delivery.error = now + LONGEST_PAUSE / 6, REFUSED
            log.error("delivery %s held: %s", delivery.id, exc)
        else:  # 5xx and time-outs after the retries, and any 4xx LINE does not call final: its error as it is
            delivery.next_attempt_at = now + _pause(delivery.attempts, self.pause)

    @staticmethod
    def within_quota(deliveries: Sequence[Delivery], left: int | None) -> list[Delivery]:
        """The deliveries the month's quota still allows, reserved in order; the rest are held, marked so,
        and looked at again by each drain against the quota then (an admin may buy more messages)."""
        allowed: list[Delivery] = []
        for delivery in deliveries:
            if left is not None and len(delivery.recipients) > left:
                delivery.error = MONTHLY
                log.warning("delivery %s held: %s", delivery.id, MONTHLY)
                continue
            allowed.append(delivery)
            if left is not None:
                left -= len(delivery.recipients)
        return allowed

    def quota(self, record: bool = True) -> int | None:
        """Messages left this month (None: no limit, or LINE could not say), remembered (`record`) for the
        screens that show it without calling LINE."""
        try:
            left = self.line.remaining_quota()
        except LineError as exc:
            log.warning("quota not read: %s", exc)
            return None
        if record:
            with self.sessions() as db, db.begin():
                record_quota(db, left, self.clock())
        return left

    @contextmanager
    def sending(self) -> Iterator[bool]:
        """Be the outbox's one sender for a while: True inside if no other thread or process is at it."""
        if not self._draining.acquire(blocking=False):
            yield False
            return
        try:
            with self.sessions() as db, db.begin():
                mine = take_lease(db, self.holder, self.clock(), self.lease)
            beating = threading.Event()
            heart = threading.Thread(target=self._renew, args=(beating,), name="outbox-lease", daemon=True)
            if mine:
                heart.start()
            try:
                yield mine
            finally:
                if mine:
                    beating.set()
                    heart.join()
                    with self.sessions() as db, db.begin():
                        release_lease(db, self.holder)
        finally:
            self._draining.release()

    def _renew(self, stop: threading.Event) -> None:
        """Keep the lease while sending (a pass of 1,000 deliveries through time-outs outlasts it)."""
        while not stop.wait(self.lease.total_seconds() / 3):
            try:
                with self.sessions() as db, db.begin():
                    if not take_lease(db, self.holder, self.clock(), self.lease):
                        log.warning("outbox lease lost to another sender")  # its calls repeat our keys: 409s
            except Exception:
                log.exception("outbox lease not renewed")

    def drain(self, workers: int = 1) -> int:
        """Send every delivery that is due, if no other sender is at it; returns how many went."""
        with self.sending() as mine:
            return self.send_due(workers) if mine else 0

    def send_due(self, workers: int = 1) -> int:
        """Send every delivery that is due; the caller is the sender (`sending`)."""
        sent, again = 0, False
        while True:
            with self.sessions() as db, db.begin():
                if again and not take_lease(db, self.holder, self.clock(), self.lease):  # renewed for each further pass
                    return sent
                due = [_detached(d) for d in unsent(db, self.clock())]
                stale = quota_read_before(db, self.clock() - QUOTA_FRESH)
            if not due:
                if stale:  # kept fresh for the screens that show it (a coordinator about to announce)
                    self.quota()
                return sent
            stream = Stream(self, workers)
            stream.submit(due)
            with self.sessions() as db, db.begin():
                sent += stream.finish(db)
            if stream.held:  # the rest wait for the month's quota
                return sent
            again = True

    def write_back(self, db: Session, copies: Sequence[Delivery]) -> None:
        """Store what the calls did, queue one push per member of each refused multicast, and bring the
        announcements these deliveries belong to up to date."""
        if not copies:
            return
        whole = [_result(c) for c in copies if c.status != "split"]
        if whole:
            db.execute(update(Delivery), whole)
        for copy in copies:
            if copy.status != "split":
                continue
            # Split by the one sender that finds it still pending: another that sent it too (its lease lapsed
            # mid-send) must not queue its members' pushes a second time, under keys of their own.
            fields = {k: v for k, v in _result(copy).items() if k != "id"}
            claimed = db.execute(  # type: ignore[attr-defined]  # an UPDATE's result is a CursorResult
                update(Delivery).where(Delivery.id == copy.id, Delivery.status == "pending").values(**fields)
            ).rowcount
            if claimed:
                for user_id in copy.recipients:
                    queue(db, [user_id], copy.messages, copy.purpose, copy.announcement_id)
        refresh_counts(db, {c.announcement_id for c in copies if c.announcement_id})


def _detached(delivery: Delivery) -> Delivery:
    return Delivery(id=delivery.id, retry_key=delivery.retry_key, purpose=delivery.purpose,
                    recipients=list(delivery.recipients), messages=delivery.messages, attempts=delivery.attempts,
                    status=delivery.status, error=delivery.error, sent_at=delivery.sent_at,
                    next_attempt_at=delivery.next_attempt_at, announcement_id=delivery.announcement_id)


def _result(copy: Delivery) -> dict[str, Any]:
    return {"id": copy.id, "attempts": copy.attempts, "status": copy.status, "error": copy.error,
            "sent_at": copy.sent_at, "next_attempt_at": copy.next_attempt_at}
