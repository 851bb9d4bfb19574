"""The LINE seam: the only module that talks to the Messaging API through the SDK's client.

Replies are free and go out at once. Pushes and multicasts cost quota: they are queued in the outbox
with a retry key (see models.outbox), then delivered here in batches of 500, throttled to LINE's rate
limit, retried with the same key on 5xx and time-outs, and a 409 counts as delivered.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    Configuration,
    Message,
    MessagingApi,
    MessagingApiBlob,
    MulticastRequest,
    PushMessageRequest,
    ReplyMessageRequest,
    RichMenuRequest,
    SetWebhookEndpointRequest,
    TestWebhookEndpointRequest,
)
from sqlalchemy.orm import Session
from urllib3.exceptions import HTTPError as Urllib3Error

from models.base import utcnow
from models.outbox import Delivery, unsent

log = logging.getLogger(__name__)

REPLY_LIMIT = 5
TIMEOUT = (3.05, 10)


class LineError(Exception):
    """LINE refused or could not be reached; `status` is the HTTP status, 0 when unreachable."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"LINE API {status or 'unreachable'}: {message}")
        self.status = status

    @property
    def retryable(self) -> bool:
        return self.status == 0 or self.status >= 500


@dataclass(frozen=True)
class Profile:
    display_name: str
    language: str | None


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
        retries: int = 3,
        backoff: float = 0.5,
    ) -> None:
        self._base_url = base_url
        self._data_base_url = data_base_url
        self._token = token
        self.limiter = RateLimiter(calls_per_second)
        self.retries = retries
        self.backoff = backoff

    def _client(self, data: bool = False) -> ApiClient:
        config = Configuration(host=self._data_base_url if data else self._base_url, access_token=self._token())
        return ApiClient(config)

    def _call(self, fn: Callable[[MessagingApi], Any]) -> Any:
        with self._client() as client:
            try:
                return fn(MessagingApi(client))
            except ApiException as exc:
                raise LineError(exc.status or 0, str(exc.body or exc.reason)[:500]) from None
            except Urllib3Error as exc:
                raise LineError(0, type(exc).__name__) from None

    def reply(self, reply_token: str, messages: Sequence[Message]) -> None:
        if not messages:
            return
        request = ReplyMessageRequest(replyToken=reply_token, messages=list(messages[:REPLY_LIMIT]))
        self._call(lambda api: api.reply_message(request, _request_timeout=TIMEOUT))

    def profile(self, user_id: str) -> Profile | None:
        try:
            response = self._call(lambda api: api.get_profile(user_id, _request_timeout=TIMEOUT))
        except LineError as exc:
            log.warning("profile lookup failed: %s", exc)
            return None
        return Profile(display_name=response.display_name, language=response.language)

    def remaining_quota(self) -> int | None:
        """Messages left this month, or None when the plan has no limit."""
        quota = self._call(lambda api: api.get_message_quota(_request_timeout=TIMEOUT))
        if quota.type != "limited":
            return None
        used = self._call(lambda api: api.get_message_quota_consumption(_request_timeout=TIMEOUT))
        return max(0, int(quota.value or 0) - int(used.total_usage))

    def _send(self, delivery: Delivery) -> None:
        messages = [Message.from_dict(m) for m in delivery.messages]
        key = delivery.retry_key
        self.limiter.wait()
        if len(delivery.recipients) == 1:
            push = PushMessageRequest(to=delivery.recipients[0], messages=messages)
            self._call(lambda api: api.push_message(push, x_line_retry_key=key, _request_timeout=TIMEOUT))
        else:
            multicast = MulticastRequest(to=delivery.recipients, messages=messages)
            self._call(lambda api: api.multicast(multicast, x_line_retry_key=key, _request_timeout=TIMEOUT))

    def deliver(self, delivery: Delivery) -> None:
        """Send one stored delivery, retrying with its own key; updates the row, the caller commits."""
        while True:
            delivery.attempts += 1
            try:
                self._send(delivery)
            except LineError as exc:
                if exc.status == 409:
                    break
                if exc.retryable and delivery.attempts <= self.retries:
                    time.sleep(self.backoff * 2 ** (delivery.attempts - 1))
                    continue
                delivery.error = str(exc)
                if exc.retryable:
                    return
                delivery.status = "failed"
                log.warning("delivery %s failed: %s", delivery.id, exc)
                return
            break
        delivery.status, delivery.sent_at, delivery.error = "sent", utcnow(), None

    def deliver_pending(self, db: Session, workers: int = 1) -> int:
        """Send every stored delivery still pending, within the month's quota; returns how many went.

        One call at a time cannot reach LINE's 200 calls a second (each waits for its answer), so a large
        send (a price alert to many members) passes `workers` > 1 to keep a few calls in flight.
        """
        pending = unsent(db)
        if not pending:
            return 0
        left = self.remaining_quota()
        if workers > 1:
            return self._deliver_concurrently(db, pending, left, workers)
        sent = 0
        for delivery in pending:
            if left is not None and len(delivery.recipients) > left:
                delivery.error = "monthly message quota reached"
                log.warning("delivery %s held: monthly message quota reached", delivery.id)
                continue
            self.deliver(delivery)
            db.commit()
            if delivery.status == "sent":
                sent += 1
                if left is not None:
                    left -= len(delivery.recipients)
        return sent

    def _deliver_concurrently(self, db: Session, pending: list[Delivery], left: int | None, workers: int) -> int:
        """Quota is reserved before sending; rows are committed after the batch. A crash in between only
        means a resend with the same retry keys, which LINE answers 409 and we count as delivered."""
        allowed: list[Delivery] = []
        for delivery in pending:
            if left is not None and len(delivery.recipients) > left:
                delivery.error = "monthly message quota reached"
                log.warning("delivery %s held: monthly message quota reached", delivery.id)
                continue
            _ = (delivery.id, delivery.retry_key, delivery.messages, delivery.attempts)  # loaded here, not in a thread
            allowed.append(delivery)
            if left is not None:
                left -= len(delivery.recipients)
        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(self.deliver, allowed))
        db.commit()
        return sum(1 for delivery in allowed if delivery.status == "sent")

    def set_webhook(self, url: str) -> None:
        request = SetWebhookEndpointRequest(endpoint=url)
        self._call(lambda api: api.set_webhook_endpoint(request, _request_timeout=TIMEOUT))

    def test_webhook(self, url: str) -> bool:
        """Ask LINE to call the webhook once; True when it answered 200."""
        request = TestWebhookEndpointRequest(endpoint=url)
        response = self._call(lambda api: api.test_webhook_endpoint(request, _request_timeout=TIMEOUT))
        return bool(response.success)

    def deploy_rich_menu(self, menu: RichMenuRequest, image_png: bytes) -> str:
        """Create a rich menu, upload its image and make it the default; returns its id."""
        created = self._call(lambda api: api.create_rich_menu(menu, _request_timeout=TIMEOUT))
        menu_id: str = created.rich_menu_id
        with self._client(data=True) as client:
            try:
                MessagingApiBlob(client).set_rich_menu_image(
                    menu_id, image_png, _headers={"Content-Type": "image/png"}, _request_timeout=TIMEOUT
                )
            except ApiException as exc:
                raise LineError(exc.status or 0, str(exc.body or exc.reason)[:500]) from None
        self._call(lambda api: api.set_default_rich_menu(menu_id, _request_timeout=TIMEOUT))
        return menu_id
