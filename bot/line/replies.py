"""Replies sent after the webhook has answered LINE, as LINE asks of bots: a worker's thread is free for the next
event as soon as the event's transaction commits, and waiting on LINE (a network away) holds no web thread.

Each process has `senders` threads, each with its own queue; a member's replies always go to the same one, so
they leave in the order their events were handled. A reply token is good for about a minute: a reply that has
waited longer (LINE down, the process swamped) is dropped and logged, never sent late. A process that stops
(a gunicorn worker's SIGTERM included) sends what is queued first, for up to `STOP_WAIT` seconds, and logs how
many it could not. With `senders=0` a reply goes out in the request.
"""

from __future__ import annotations

import atexit
import logging
import os
import queue
import threading
import time
import zlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from bot.line import LineError

if TYPE_CHECKING:
    from linebot.v3.messaging import Message

    from bot.line import Line

log = logging.getLogger(__name__)

TOKEN_LIFE = 50.0  # seconds a reply may wait; LINE's reply tokens last about a minute
STOP_WAIT = 10.0


class Replies:
    def __init__(self, line: Line, senders: int, token_life: float = TOKEN_LIFE) -> None:
        self.line = line
        self.senders = senders
        self.token_life = token_life
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._pending = 0
        self._queues: dict[int, queue.SimpleQueue[tuple[float, dict[str, Any], str]]] = {}
        self._pid = 0

    def send(self, member: str, reply_token: str, messages: Sequence[Message], event_id: str = "") -> None:
        """Reply to an event: serialised now, in the caller's thread (a message LINE cannot take fails here, with
        its event), and sent in order after the member's earlier replies."""
        if not messages:
            return
        body = self.line.reply_json(reply_token, messages)
        if self.senders == 0:
            self._post(body, event_id)
            return
        waiting = self._queue(zlib.crc32(member.encode()) % self.senders)
        with self._lock:
            self._pending += 1
        waiting.put((time.monotonic(), body, event_id))

    def flush(self, timeout: float = STOP_WAIT) -> bool:
        """Wait until every queued reply has been sent (or dropped); False if some were still waiting."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._pending:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._idle.wait(left)
        return True

    def stop(self, timeout: float = STOP_WAIT) -> None:
        """At the process's exit: send what is queued, for up to `timeout` seconds. What is still waiting then
        dies with the process, and is counted in the log, never lost unsaid."""
        if not self.flush(timeout):
            with self._lock:
                left = self._pending
            log.warning("%d replies left unsent or unconfirmed: the process stopped (after %.1f s)", left, timeout)

    def _queue(self, number: int) -> queue.SimpleQueue[tuple[float, dict[str, Any], str]]:
        """The sender's queue, its thread started at its first reply. Threads do not survive a fork (gunicorn
        forks its workers after loading the app with --preload): a new process starts its own."""
        with self._lock:
            if self._pid != os.getpid():
                self._queues, self._pending, self._pid = {}, 0, os.getpid()
                atexit.register(self.stop)
            waiting = self._queues.get(number)
            if waiting is None:
                waiting = self._queues[number] = queue.SimpleQueue()
                threading.Thread(target=self._run, args=(waiting,), name=f"reply-{number}", daemon=True).start()
            return waiting

    def _run(self, waiting: queue.SimpleQueue[tuple[float, dict[str, Any], str]]) -> None:
        while True:
            queued, body, event_id = waiting.get()
            try:
                waited = time.monotonic() - queued
                if waited > self.token_life:
                    log.warning("reply for event %s dropped: it waited %.0f s, past its token's life", event_id,
                                waited)
                else:
                    self._post(body, event_id)
            finally:
                with self._idle:
                    self._pending -= 1
                    if not self._pending:
                        self._idle.notify_all()

    def _post(self, body: dict[str, Any], event_id: str) -> None:
        try:
            self.line.send_reply(body)
        except LineError as exc:
            log.warning("reply for event %s not sent: %s", event_id, exc)
        except Exception:  # whatever the SDK makes of a reply, the others still go out
            log.exception("reply for event %s failed", event_id)
