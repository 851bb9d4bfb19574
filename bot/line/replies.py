"""Replies sent after the webhook has answered LINE, as LINE asks of bots: a worker's thread is free for the next
event as soon as the event's transaction commits, and waiting on LINE (a network away) holds no thread at all.

Each process has one thread running an event loop, where up to `senders` replies are on their way to LINE at once
(aiohttp: a call costs about half the CPU of a thread's urllib3 call, and a reply waiting on LINE is a coroutine,
not a thread), and a lane of replies for each member with replies waiting: a sender takes a member's next reply
only when their last one is through (LINE answered, or it failed), so a member's replies leave in the order their
events were handled, and as many members are served at once as there are senders (a member's lane is never stuck
behind another member's; one whose lane has more goes to the back of those waiting for a sender). A member who
writes faster than LINE's round trips has several replies waiting: they leave together, in order, in one reply of up
to five messages on the newest of their reply tokens (the others are left unused, which LINE allows), so that
member's answers keep pace instead of queueing one round trip each. Should LINE refuse such a reply (400), each of
its replies is sent again alone, on its own token.

The webhook waits for room when more replies wait than the senders can soon take (`DEPTH` a sender), or than one
member's lane should hold (`LANE`): more load than LINE's round trips allow slows the answers to LINE, never the
replies.

A reply token is good for about a minute: a reply that has waited longer (LINE down, the process swamped) is
dropped and logged, never sent late. A process that stops (a gunicorn worker's SIGTERM included) sends what is
queued first, for up to `STOP_WAIT` seconds, and logs how many it could not. The loop's thread stops after `IDLE`
quiet seconds, and starts again with the next reply. With `senders=0` a reply goes out in the request.
"""

from __future__ import annotations

import asyncio
import atexit
import itertools
import logging
import os
import threading
import time
from collections import deque
from collections.abc import Coroutine, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from bot.line import REPLY_LIMIT, LineError

if TYPE_CHECKING:
    import aiohttp
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
IDLE = 5.0  # seconds the senders' thread lives on with nothing to send
ROOM_WAIT = 5.0  # seconds the webhook waits for room at most (LINE down: the replies wait and are dropped in time)


class _Loop:
    """The senders' event loop, its thread and its session with LINE (made in the loop, at its first reply)."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.session: aiohttp.ClientSession | None = None
        self.tasks: set[asyncio.Task[None]] = set()  # the loop keeps only weak references to its tasks
        self.idle: asyncio.TimerHandle | None = None  # the check for quiet, after the last reply
        self.thread = threading.Thread(target=self._run, name="line-replies", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.loop.run_forever()
        finally:
            self.loop.close()

    def run(self, coroutine: Coroutine[Any, Any, None]) -> None:
        """A task in this loop (called in it), kept until it is done."""
        task = self.loop.create_task(coroutine)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def close(self) -> None:
        """Close the session with LINE and stop the loop, whichever thread asks; its thread then ends."""
        self.loop.call_soon_threadsafe(self.run, self._closed())

    async def _closed(self) -> None:
        if self.session is not None:
            await self.session.close()
        self.loop.stop()


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
        self._ready: deque[str] = deque()  # members with a lane, waiting for a sender
        self._pid = 0
        self._busy = 0  # senders serving a member now
        self._loop: _Loop | None = None

    def send(self, member: str, reply_token: str, messages: Sequence[Message], event_id: str = "") -> None:
        """Reply to an event: serialised now, in the caller's thread (a message LINE cannot take fails here, with
        its event), and sent in order after the earlier replies of `member`: the chat the reply shows in (the
        member's own, or a group's), since replies waiting together leave on one token, into one chat."""
        if not messages:
            return
        body = self.line.reply_json(reply_token, messages)
        if self.senders == 0:
            try:
                self.line.send_reply(body)
            except Exception as exc:  # logged; the webhook still answers LINE
                _failed(exc, event_id)
            return
        with self._lock:
            self._start()
            deadline = time.monotonic() + ROOM_WAIT
            while self._full(member) and (left := deadline - time.monotonic()) > 0:
                self._room.wait(left)
            self._pending += 1
            lane = self._lanes.get(member)
            if lane is None:  # not waiting nor being sent: a sender takes the member now, or when one is free
                lane = self._lanes[member] = deque()
                if self._busy < self.senders:
                    self._busy += 1
                    loop = self._running_loop()
                    loop.loop.call_soon_threadsafe(self._serve, loop, member)
                else:
                    self._ready.append(member)
            lane.append(Waiting(time.monotonic(), body, event_id))

    @property
    def running(self) -> int:
        """How many senders are serving a member now."""
        return self._busy if self._pid == os.getpid() else 0

    @property
    def alive(self) -> bool:
        """Whether this process has the senders' thread now."""
        return self._pid == os.getpid() and self._loop is not None

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
            return
        with self._lock:  # all sent: the senders' session with LINE is closed as it should be, not dropped
            loop, self._loop = self._loop, None
        if loop is not None and self._pid == os.getpid():
            loop.close()
            loop.thread.join(timeout)

    def _full(self, member: str) -> bool:
        return self._pending >= self.room or len(self._lanes.get(member, ())) >= LANE

    def _start(self) -> None:
        """This process's state, at its first reply (with the lock held). Threads do not survive a fork (gunicorn
        forks its workers after loading the app with --preload): a new process starts its own."""
        if self._pid == os.getpid():
            return
        self._lanes, self._ready, self._pending, self._pid = {}, deque(), 0, os.getpid()
        self._busy, self._loop = 0, None
        atexit.register(self.stop)

    def _running_loop(self) -> _Loop:
        """The senders' loop, started if it is not (the lock held)."""
        if self._loop is None:
            self._loop = _Loop()
        return self._loop

    # ------------------------------------------------------------ in the senders' loop
    def _serve(self, loop: _Loop, member: str) -> None:
        loop.run(self._send_next(loop, member))

    async def _send_next(self, loop: _Loop, member: str) -> None:
        """The member's next replies, then the next member waiting for a sender (this one's lane, if it has more
        replies, at the back of that queue)."""
        with self._lock:
            lane = self._lanes[member]
            taken = self._together(lane)
        try:
            if loop.session is None:
                loop.session = self.line.reply_session(self.senders)
            await self._send_together(loop.session, taken)
        finally:
            with self._drained:
                for _ in taken:
                    lane.popleft()
                if lane:
                    self._ready.append(member)
                else:
                    del self._lanes[member]
                self._pending -= len(taken)
                self._room.notify_all()  # a member's webhook may be waiting on their own lane
                if not self._pending:
                    self._drained.notify_all()
                following = self._ready.popleft() if self._ready else None
                if following is None:
                    self._busy -= 1
                    if not self._busy:  # one check at a time: a busy process would pile them up
                        if loop.idle is not None:
                            loop.idle.cancel()
                        loop.idle = loop.loop.call_later(IDLE, self._quiet, loop)
            if following is not None:
                self._serve(loop, following)

    def _quiet(self, loop: _Loop) -> None:
        """IDLE seconds after the last reply: the loop's thread ends if nothing came since (the next reply starts
        another), so a quiet process keeps no threads."""
        with self._lock:
            if self._busy or self._loop is not loop:
                return
            self._loop = None
        loop.close()

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

    async def _send_together(self, session: aiohttp.ClientSession, taken: list[Waiting]) -> None:
        fresh = self._fresh(taken)
        if len(fresh) == 1:
            await self._post(session, fresh[0].body, fresh[0].event_id)
        elif fresh:
            together = {"replyToken": fresh[-1].body["replyToken"],
                        "messages": [message for waiting in fresh for message in waiting.body["messages"]]}
            if await self._post(session, together, ", ".join(waiting.event_id for waiting in fresh)) == 400:
                # one message LINE refused must not take the others with it: each again alone, if still in time
                for waiting in self._fresh(fresh):
                    await self._post(session, waiting.body, waiting.event_id)

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

    async def _post(self, session: aiohttp.ClientSession, body: dict[str, Any], event_id: str) -> int:
        """Send one reply; LINE's refusal (its HTTP status) is logged and returned, 0 when it was sent."""
        try:
            await self.line.post_reply(session, body)
        except Exception as exc:  # whatever became of a reply, the others still go out
            return _failed(exc, event_id)
        return 0


def _failed(exc: Exception, event_id: str) -> int:
    """A reply not sent, logged: LINE's HTTP status when it refused, else -1."""
    if isinstance(exc, LineError):
        log.warning("reply for event %s not sent: %s", event_id, exc)
        return exc.status or -1
    log.error("reply for event %s failed", event_id, exc_info=exc)
    return -1
