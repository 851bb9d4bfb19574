"""Fired price alerts onto LINE: one message per price, event and language, multicast in batches of 500.

Evaluation (models.alerts.evaluate) runs in the transaction that stores the price and only marks the alerts
it fired; here they become outbox rows with retry keys (models.outbox.queue, with a log of each message),
in one transaction, and the LINE seam delivers them within the month's quota (Line.deliver_pending), with
a few calls in flight to keep up with LINE's 200 calls a second.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any

from flask import Flask
from sqlalchemy.orm import Session

from bot.i18n import translator
from handlers.alerts import notification
from models.alerts import AlertLog, claim_pending_runs, recipients
from models.outbox import queue
from models.prices import previous

log = logging.getLogger(__name__)
PURPOSE = "price-alert"
WORKERS = 8  # calls in flight: keeps to 200 a second while a call takes up to 40 ms


def queue_pending(db: Session) -> int:
    """Queue the messages of every run not yet queued, logging each; returns how many recipients were queued.

    Members who unfollowed since, or cancelled the alert, are left out here.
    """
    queued = 0
    for run in claim_pending_runs(db):
        groups: dict[tuple[str, str], list[str]] = defaultdict(list)
        for kind, locale, user_id in recipients(db, run):
            groups[(kind, locale)].append(user_id)
        before = previous(db, run.quote)
        for (kind, locale), user_ids in groups.items():
            messages: list[dict[str, Any]] = [
                m.to_dict() for m in notification(translator(locale), locale, run.quote, before, kind)
            ]
            for delivery in queue(db, user_ids, messages, PURPOSE):
                db.add(AlertLog(run_id=run.id, event=kind, locale=locale, recipients=len(delivery.recipients),
                                delivery_id=delivery.id))
                queued += len(delivery.recipients)
    db.flush()
    return queued


def deliver(app: Flask, workers: int = WORKERS) -> int:
    """The scheduler job (and what the CLI runs after a post): queue fired alerts, then send what is pending."""
    with app.extensions["sessions"]() as db:
        with db.begin():
            queued = queue_pending(db)
        if queued:
            log.info("price alerts: %d recipients queued", queued)
        sent: int = app.extensions["line"].deliver_pending(db, workers=workers)
        db.commit()
    return sent
