"""Replies sent after the webhook has answered LINE, as LINE asks of bots: a worker's thread is free for the next
event as soon as the event's transaction commits, and waiting on LINE (a network away) holds no web thread.

Each process has `senders` threads and a lane of replies for each member with replies waiting: a sender takes a
member's next reply only when their last one is through (LINE answered, or it failed), so a member's replies leave
in the order their events were handled, and as many members are served at once as there are senders (a member's
lane is never stuck behind another member's). A member who writes faster than LINE's round trips has several
replies waiting: they leave together, in order, in one reply of up to five messages on the newest of their reply
tokens (the others are left unused, which LINE allows), so that member's answers keep pace instead of queueing one
round trip each. Should LINE refuse such a reply (400), each of its replies is sent again alone, on its own token.

The webhook waits for room when more replies wait than the senders can soon take (`DEPTH` a sender), or than one
member's lane should hold (`LANE`): more load than LINE's round trips allow slows the answers to LINE, never the
replies.

A reply token is good for about a minute: a reply that has waited longer (LINE down, the process swamped) is
dropped and logged, never sent late. A process that stops (a gunicorn worker's SIGTERM included) sends what is
queued first, for up to `STOP_WAIT` seconds, and logs how many it could not. With `senders=0` a reply goes out in
the request.
"""

from __future__ import annotations

import atexit
import itertools
import logging
import os
import queue
import threading
import time
from collections import deque
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from bot.line import REPLY_LIMIT, LineError

if TYPE_CHECKING:
    from linebot.v3.messaging import Message

    from bot.line import Line

log = logging.getLogger(__name__)


class Waiting(NamedTuple):
    """A reply in its member's lane."""

    queued: float  # time.monotonic() when it was queued
    body: dict[str, Any]
    event_id: str


TOKEN_LIFE = 50.0  # seconds a reply may wait; LINE's reply tokens last about a minute
STOP_WAIT = 10.0
DEPTH = 2
"""replies waiting per sender beyond which the webhook waits for room: under more load than the senders can carry,
events are answered more slowly instead of their replies leaving late, or dying unsent at a token's life"""
LANE = 8
"""replies waiting for one member beyond which their next event's webhook waits: they leave up to five a LINE round
trip, so a member who writes faster than that waits two or three round trips for a reply"""
IDLE = 5.0  # seconds a sender with nothing to send lives on
ROOM_WAIT = 5.0  # seconds the webhook waits for room at most (LINE down: the replies wait and are dropped in time)


class Replies:
    def __init__(self, line: Line, senders: int, token_life: float = TOKEN_LIFE, depth: int = DEPTH) -> None:
        self.line = line
        self.senders = senders
        self.token_life = token_life
        self.room = senders * depth  # replies that may wait before the webhook waits for room
        self._lock = threading.Lock()
        self._drained = threading.Condition(self._lock)
        self._room = threading.Condition(self._lock)
        self._pending = 0
        self._lanes: dict[str, deque[Waiting]] = {}
        self._ready: queue.SimpleQueue[str] = queue.SimpleQueue()
        self._pid = 0
        self._alive = 0

    def send(self, member: str, reply_token: str, messages: Sequence[Message], event_id: str = "") -> None:
        """Reply to an event: serialised now, in the caller's thread (a message LINE cannot take fails here, with
        its event), and sent in order after the earlier replies of `member`: the chat the reply shows in (the
        member's own, or a group's), since replies waiting together leave on one token, into one chat."""
        if not messages:
            return
        body = self.line.reply_json(reply_token, messages)
        if self.senders == 0:
            self._post(body, event_id)
            return
        with self._lock:
            self._start()
            deadline = time.monotonic() + ROOM_WAIT
            while self._full(member) and (left := deadline - time.monotonic()) > 0:
                self._room.wait(left)
            self._pending += 1
            lane = self._lanes.get(member)
            if lane is None:  # not waiting nor being sent: a sender may take the member now
                lane = self._lanes[member] = deque()
                self._ready.put(member)
                self._wake()
            lane.append(Waiting(time.monotonic(), body, event_id))

    @property
    def running(self) -> int:
        """How many sender threads this process has now."""
        return self._alive if self._pid == os.getpid() else 0

    def flush(self, timeout: float = STOP_WAIT) -> bool:
        """Wait until every queued reply has been sent (or dropped); False if some were still waiting."""
        deadline = time.monotonic() + timeout
        with self._drained:
            while self._pending:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._drained.wait(left)
        return True

    def stop(self, timeout: float = STOP_WAIT) -> None:
        """At the process's exit: send what is queued, for up to `timeout` seconds. What is still waiting then
        dies with the process, and is counted in the log, never lost unsaid."""
        if not self.flush(timeout):
            with self._lock:
                left = self._pending
            log.warning("%d replies left unsent or unconfirmed: the process stopped (after %.1f s)", left, timeout)

    def _full(self, member: str) -> bool:
        return self._pending >= self.room or len(self._lanes.get(member, ())) >= LANE

    def _start(self) -> None:
        """This process's state, at its first reply (with the lock held). Threads do not survive a fork (gunicorn
        forks its workers after loading the app with --preload): a new process starts its own."""
        if self._pid == os.getpid():
            return
        self._lanes, self._ready, self._pending, self._pid = {}, queue.SimpleQueue(), 0, os.getpid()
        self._alive = 0
        atexit.register(self.stop)

    def _wake(self) -> None:
        """A member is ready (the lock held): a sender is started while there are fewer than `senders`; one with
        nothing to send for IDLE seconds stops, so a quiet process keeps no threads."""
        if self._alive < self.senders:
            self._alive += 1
            threading.Thread(target=self._run, name=f"reply-{self._alive}", daemon=True).start()

    def _run(self) -> None:
        while True:
            try:
                member = self._ready.get(timeout=IDLE)
            except queue.Empty:
                with self._lock:
                    if self._ready.empty():  # under the lock, as send() puts: nobody is left waiting
                        self._alive -= 1
                        return
                continue
            with self._lock:
                lane = self._lanes[member]
                taken = self._together(lane)
            try:
                self._send_together(taken)
            finally:
                with self._drained:
                    for _ in taken:
                        lane.popleft()
                    if lane:  # the member's next replies, now that these are through
                        self._ready.put(member)
                    else:
                        del self._lanes[member]
                    self._pending -= len(taken)
                    self._room.notify_all()  # a member's webhook may be waiting on their own lane
                    if not self._pending:
                        self._drained.notify_all()

    @staticmethod
    def _together(lane: deque[Waiting]) -> list[Waiting]:
        """The member's oldest reply, and those after it that fit beside it in one reply (the lock held)."""
        taken, size = [lane[0]], len(lane[0].body["messages"])
        for waiting in itertools.islice(lane, 1, None):
            size += len(waiting.body["messages"])
            if size > REPLY_LIMIT:
                break
            taken.append(waiting)
        return taken

    def _send_together(self, taken: list[Waiting]) -> None:
        fresh = self._fresh(taken)
        if len(fresh) == 1:
            self._post(fresh[0].body, fresh[0].event_id)
        elif fresh:
            together = {"replyToken": fresh[-1].body["replyToken"],
                        "messages": [message for waiting in fresh for message in waiting.body["messages"]]}
            if self._post(together, ", ".join(waiting.event_id for waiting in fresh)) == 400:
                # one message LINE refused must not take the others with it: each again alone, if still in time
                for waiting in self._fresh(fresh):
                    self._post(waiting.body, waiting.event_id)

    def _fresh(self, taken: list[Waiting]) -> list[Waiting]:
        """Those replies still within their token's life; the others are dropped, and logged."""
        now, fresh = time.monotonic(), []
        for waiting in taken:
            waited = now - waiting.queued
            if waited > self.token_life:
                log.warning("reply for event %s dropped: it waited %.0f s, past its token's life", waiting.event_id,
                            waited)
            else:
                fresh.append(waiting)
        return fresh

    def _post(self, body: dict[str, Any], event_id: str) -> int:
        """Send one reply; LINE's refusal (its HTTP status) is logged and returned, 0 when it was sent."""
        try:
            self.line.send_reply(body)
        except LineError as exc:
            log.warning("reply for event %s not sent: %s", event_id, exc)
            return exc.status or -1
        except Exception:  # whatever the SDK makes of a reply, the others still go out
            log.exception("reply for event %s failed", event_id)
            return -1
        return 0
