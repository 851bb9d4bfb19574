"""The LINE seam: the only module that talks to the Messaging API, through the SDK's client (a reply on its connection
pool, or on the reply senders' aiohttp session, bot.line.replies). Transport only: it moves one call's bytes,
throttled to LINE's rate limit, and turns errors into `LineError`.

Replies are free and go out at once. Pushes and multicasts cost quota: bot.delivery decides when and how
often they are sent (the outbox, retries, holds and the month's quota).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import aiohttp
    from linebot.v3.messaging import (
        ApiClient,
        Message,
        MessagingApi,
        MulticastRequest,
        RichMenuRequest,
    )

log = logging.getLogger(__name__)

REPLY_LIMIT = 5
PUSH_CONNECTIONS = 64  # kept open for concurrent pushes and replies (bot.delivery's and bot.line.replies' senders)
TIMEOUT = (3.05, 10)


@cache
def _push_types() -> tuple[type[ApiClient], type[MulticastRequest]]:
    """The push client and the stored multicast, subclasses of the SDK's, made at the first call: the
    SDK takes most of a second to load, which the command line's commands that never reach LINE should not pay."""
    from linebot.v3.messaging import ApiClient, MulticastRequest

    class StoredMulticast(MulticastRequest):
        """A multicast of messages as stored in the outbox: they were the SDK's own to_dict() when queued, so
        they go out as they are, not parsed into models and written back out again for every call; the ids
        were ours when queued, and the SDK's generic to_dict walks all 500 of them field by field, which at 200
        calls a second costs more CPU than the calls themselves."""

        def to_dict(self) -> dict[str, Any]:
            return {"to": list(self.to), "messages": list(self.messages)}

    class PushClient(ApiClient):
        def sanitize_for_serialization(self, obj: Any) -> Any:
            if isinstance(obj, StoredMulticast):
                return obj.to_dict()  # plain JSON already: the generic walk visits every one of 500 ids
            return super().sanitize_for_serialization(obj)

    return PushClient, StoredMulticast


class LineError(Exception):
    """LINE refused or could not be reached; `status` is the HTTP status, 0 when unreachable."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"LINE API {status or 'unreachable'}: {message}")
        self.status = status

    @property
    def retryable(self) -> bool:
        return self.status == 0 or self.status >= 500


def _check(status: int, data: bytes, reason: str | None) -> None:
    """A reply call's answer: LineError unless LINE took it."""
    if not 200 <= status <= 299:
        raise LineError(status, data.decode("utf-8", "replace")[:500] or reason or "")


@cache
def _user_agent() -> str:
    """The SDK's, as its own client sends it."""
    from linebot.__about__ import __version__

    return f"line-bot-sdk-python/{__version__}"


@dataclass(frozen=True)
class Profile:
    display_name: str
    language: str | None


@dataclass(frozen=True)
class Quota:
    """This month's messages: the plan's limit (None: no limit) and how many were sent."""

    limit: int | None
    used: int

    @property
    def left(self) -> int | None:
        return None if self.limit is None else max(0, self.limit - self.used)


class RateLimiter:
    """At most `per_second` calls a second across threads (LINE allows 200 push/multicast calls a second)."""

    def __init__(self, per_second: float) -> None:
        self.interval = 1.0 / per_second
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            now = time.monotonic()
            delay = self._next - now
            self._next = max(now, self._next) + self.interval
        if delay > 0:
            time.sleep(delay)


class Line:
    def __init__(
        self,
        base_url: str,
        data_base_url: str,
        token: Callable[[], str],
        calls_per_second: float = 200,
    ) -> None:
        self._base_url = base_url
        self._data_base_url = data_base_url
        self._token = token
        self.limiter = RateLimiter(calls_per_second)
        self.timeout = TIMEOUT  # (connect, read) seconds: a call LINE leaves unanswered longer is a time-out
        self._push_lock = threading.Lock()
        self._push_api: tuple[str, MessagingApi] | None = None

    def _client(self, data: bool = False) -> ApiClient:
        from linebot.v3.messaging import ApiClient, Configuration

        config = Configuration(host=self._data_base_url if data else self._base_url, access_token=self._token())
        return ApiClient(config)

    def _call(self, fn: Callable[[MessagingApi], Any], api: MessagingApi | None = None) -> Any:
        if api is not None:
            return self._mapped(fn, api)
        from linebot.v3.messaging import MessagingApi

        with self._client() as client:
            return self._mapped(fn, MessagingApi(client))

    @staticmethod
    def _mapped(fn: Callable[[MessagingApi], Any], api: MessagingApi) -> Any:
        from linebot.v3.messaging import ApiException
        from urllib3.exceptions import HTTPError as Urllib3Error

        try:
            return fn(api)
        except ApiException as exc:
            raise LineError(exc.status or 0, str(exc.body or exc.reason)[:500]) from None
        except Urllib3Error as exc:
            raise LineError(0, type(exc).__name__) from None

    def _pusher(self) -> MessagingApi:
        """One client for pushes while the token stays the same (its connection pool is thread-safe): a new
        client per call sets up a configuration and a connection each time, which at 200 calls a second
        is most of the work."""
        from linebot.v3.messaging import Configuration, MessagingApi

        token = self._token()
        with self._push_lock:
            if self._push_api is None or self._push_api[0] != token:
                config = Configuration(host=self._base_url, access_token=token)
                config.connection_pool_maxsize = PUSH_CONNECTIONS
                push_client = _push_types()[0]
                self._push_api = (token, MessagingApi(push_client(config)))
            return self._push_api[1]

    def reply_json(self, reply_token: str, messages: Sequence[Message]) -> dict[str, Any]:
        """The reply call's body (at most five messages), built without the SDK's per-call model walk."""
        from bot.line import wire

        return {"replyToken": reply_token, "messages": [wire.plain(m) for m in messages[:REPLY_LIMIT]]}

    def send_reply(self, body: dict[str, Any]) -> None:
        """A reply whose body `reply_json` built, posted on the shared client's connection pool (its connections
        stay open). Not through `reply_message`, which validates its arguments with pydantic and parses LINE's
        answer into models nobody reads (twice the CPU of the call), nor through the SDK's REST client, which writes
        the JSON again with every Thai letter escaped."""
        from urllib3 import Timeout

        from bot.line import wire

        api = self._pusher()
        client = api.api_client
        headers = {**client.default_headers, "Accept": "application/json",
                   "Content-Type": "application/json; charset=UTF-8"}
        answer = self._call(lambda _api: client.rest_client.pool_manager.request(
            "POST", f"{client.configuration.host}/v2/bot/message/reply", body=wire.encoded(body), headers=headers,
            timeout=Timeout(connect=self.timeout[0], read=self.timeout[1])), api)
        _check(answer.status, answer.data, answer.reason)

    def reply_session(self, connections: int) -> aiohttp.ClientSession:
        """A session for `post_reply`, made in the event loop that uses it (bot.line.replies), with at most
        `connections` open to LINE at once."""
        import aiohttp

        timeout = aiohttp.ClientTimeout(total=None, connect=self.timeout[0], sock_read=self.timeout[1])
        return aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=connections), timeout=timeout)

    async def post_reply(self, session: aiohttp.ClientSession, body: dict[str, Any]) -> None:
        """`send_reply` on an event loop's session: waiting on LINE holds no thread, and a call costs about half
        the CPU of urllib3's (its response read by aiohttp's parser in C, the request written in one send)."""
        import aiohttp

        from bot.line import wire

        headers = {"Authorization": f"Bearer {self._token()}", "Accept": "application/json",
                   "Content-Type": "application/json; charset=UTF-8", "User-Agent": _user_agent()}
        try:
            async with session.post(f"{self._base_url}/v2/bot/message/reply", data=wire.encoded(body),
                                    headers=headers) as answer:
                data = await answer.read()
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise LineError(0, type(exc).__name__) from None
        _check(answer.status, data, answer.reason)

    def profile(self, user_id: str) -> Profile | None:
        try:
            response = self._call(lambda api: api.get_profile(user_id, _request_timeout=self.timeout))
        except LineError as exc:
            log.warning("profile lookup failed: %s", exc)
            return None
        return Profile(display_name=response.display_name, language=response.language)

    def remaining_quota(self) -> int | None:
        """Messages left this month, or None when the plan has no limit."""
        quota = self._call(lambda api: api.get_message_quota(_request_timeout=self.timeout))
        if quota.type != "limited":
            return None
        used = self._call(lambda api: api.get_message_quota_consumption(_request_timeout=self.timeout))
        return max(0, int(quota.value or 0) - int(used.total_usage))

    def quota(self) -> Quota:
        """This month's limit and use (the console's gauge)."""
        plan = self._call(lambda api: api.get_message_quota(_request_timeout=self.timeout))
        used = self._call(lambda api: api.get_message_quota_consumption(_request_timeout=self.timeout))
        return Quota(int(plan.value or 0) if plan.type == "limited" else None, int(used.total_usage))

    def send(self, recipients: Sequence[str], messages: list[dict[str, Any]], retry_key: str) -> None:
        """One push (one recipient) or multicast of messages given as LINE's JSON, with its retry key."""
        from linebot.v3.messaging import Message, PushMessageRequest

        api = self._pusher()
        self.limiter.wait()
        if len(recipients) == 1:
            push = PushMessageRequest(to=recipients[0], messages=[Message.from_dict(m) for m in messages])
            self._call(
                lambda api: api.push_message(push, x_line_retry_key=retry_key, _request_timeout=self.timeout), api)
        else:
            multicast = _push_types()[1].construct(to=list(recipients), messages=list(messages))
            self._call(
                lambda api: api.multicast(multicast, x_line_retry_key=retry_key, _request_timeout=self.timeout), api)

    def set_webhook(self, url: str) -> None:
        from linebot.v3.messaging import SetWebhookEndpointRequest

        request = SetWebhookEndpointRequest(endpoint=url)
        self._call(lambda api: api.set_webhook_endpoint(request, _request_timeout=self.timeout))

    def test_webhook(self, url: str) -> bool:
        """Ask LINE to call the webhook once; True when it answered 200."""
        from linebot.v3.messaging import TestWebhookEndpointRequest

        request = TestWebhookEndpointRequest(endpoint=url)
        response = self._call(lambda api: api.test_webhook_endpoint(request, _request_timeout=self.timeout))
        return bool(response.success)

    def deploy_rich_menu(self, menu: RichMenuRequest, image_png: bytes) -> str:
        """Create a rich menu, upload its image and make it the default; returns its id."""
        from linebot.v3.messaging import ApiException, MessagingApiBlob

        created = self._call(lambda api: api.create_rich_menu(menu, _request_timeout=self.timeout))
        menu_id: str = created.rich_menu_id
        with self._client(data=True) as client:
            try:
                MessagingApiBlob(client).set_rich_menu_image(
                    menu_id, image_png, _headers={"Content-Type": "image/png"}, _request_timeout=self.timeout
                )
            except ApiException as exc:
                raise LineError(exc.status or 0, str(exc.body or exc.reason)[:500]) from None
        self._call(lambda api: api.set_default_rich_menu(menu_id, _request_timeout=self.timeout))
        return menu_id
