"""Fired price alerts onto LINE: one message per price, event and language, multicast in batches of 500.

Evaluation (models.alerts.evaluate) runs in the transaction that stores the price and only writes the log;
here the log is turned into outbox rows with retry keys, and the LINE seam delivers them within the quota.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any

from flask import Flask
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.i18n import translator
from handlers.alerts import notification
from models.alerts import AlertLog, pending_log
from models.member import LANGUAGES, Member
from models.outbox import queue
from models.prices import PriceQuote, previous

log = logging.getLogger(__name__)
PURPOSE = "price-alert"
WORKERS = 4  # enough calls in flight to reach LINE's 200 a second from one process


def _locale(language: str | None, profile_language: str | None) -> str:
    """As Member.locale: the stored language, then the LINE profile's, then Thai."""
    if language in LANGUAGES:
        return str(language)
    profile = (profile_language or "").split("-")[0].lower()
    return profile if profile in LANGUAGES else "th"


def queue_pending(db: Session) -> int:
    """Queue every logged alert not yet queued; members who unfollowed since are skipped. Returns log rows queued."""
    inactive = select(Member.id).where(Member.active.is_(False))
    db.execute(
        update(AlertLog)
        .where(AlertLog.status == "pending", AlertLog.member_id.in_(inactive))
        .values(status="skipped")
        .execution_options(synchronize_session=False)
    )
    groups: dict[tuple[int, str, str], dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for log_id, quote_id, event, user_id, language, profile_language in pending_log(db):
        groups[(quote_id, event, _locale(language, profile_language))][user_id].append(log_id)
    queued = 0
    for (quote_id, event, locale), recipients in groups.items():
        quote = db.get(PriceQuote, quote_id)
        assert quote is not None
        messages: list[dict[str, Any]] = [
            m.to_dict() for m in notification(translator(locale), locale, quote, previous(db, quote), event)
        ]
        for delivery in queue(db, list(recipients), messages, PURPOSE):
            ids = [log_id for user_id in delivery.recipients for log_id in recipients[user_id]]
            db.execute(
                update(AlertLog)
                .where(AlertLog.id.in_(ids))
                .values(status="queued", delivery_id=delivery.id)
                .execution_options(synchronize_session=False)
            )
            queued += len(ids)
    return queued


def deliver(app: Flask, workers: int = WORKERS) -> int:
    """The scheduler job (and what the CLI runs after a post): queue fired alerts, then send what is pending."""
    with app.extensions["sessions"]() as db:
        with db.begin():
            queued = queue_pending(db)
        if queued:
            log.info("price alerts: %d queued", queued)
        sent: int = app.extensions["line"].deliver_pending(db, workers=workers)
        db.commit()
    return sent
