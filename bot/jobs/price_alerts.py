"""Fired price alerts onto LINE: one message per price, event and language, multicast in batches of 500.

Evaluation (models.alerts.evaluate) runs in the transaction that stores the price and only marks the alerts
it fired; here they become outbox rows with retry keys (models.outbox.queue, with a log of each message).
Queueing and sending overlap: a run's recipients are queued in chunks, windows of member ids in order, each
committed with the run's cursor (AlertRun.queued_until), and each chunk's deliveries go to the outbox's stream
of senders (bot.delivery.Stream) as soon as it commits, while the next chunk is read. A crash resumes from
the cursor (no loss, no repeat): committed deliveries are sent by the next tick with their retry keys, and the
run is taken over once its claim is stale. The month's quota is read once and reserved delivery by delivery
across the chunks.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter
from typing import Any

from flask import Flask
from sqlalchemy.orm import Session

from bot.delivery import Outbox, Stream
from bot.i18n import translator
from bot.routes import pushes
from models.alerts import AlertLog, AlertRun, advance, claim_runs, fired_members, recipients
from models.base import utcnow
from models.outbox import MULTICAST_LIMIT, Delivery, queue
from models.prices import previous

log = logging.getLogger(__name__)
PURPOSE = "price-alert"
WORKERS = 5  # calls in flight: keeps to 200 a second while a call takes up to 25 ms
# Member ids per chunk: a small first window so that the first calls leave at once, then larger ones, which
# queue several times faster than LINE's 200 calls a second take them.
FIRST_CHUNK, CHUNK = 1_500, 15_000


class RunTaken(Exception):
    """Another worker moved the run's cursor first (it took over a claim it thought stale)."""


@dataclass
class Report:
    queued: int = 0  # recipients
    sent: int = 0  # deliveries
    queueing: float = 0.0  # seconds until the last chunk was committed
    held: list[int] = field(default_factory=list)  # deliveries kept for the month's quota


def _cut(rows: Sequence[tuple[int, str, str, str]], more: bool) -> tuple[dict[tuple[str, str], list[str]], int | None]:
    """The recipients to queue now by (event, locale), each member once (an alert and the daily digest of the
    same price are one message: the alert's), and the member after whom the next window starts if the rows were
    cut (None if all of them are queued now).

    When more windows follow (`more`), the rows are cut after a whole number of batches of the most common
    message, at a member boundary, since a chunk's part-full batches each cost a call of their own.
    Written with C-level helpers: this runs while the sending threads want the GIL."""
    unique = list(dict.fromkeys(rows))  # a member with two alerts of one event gets the message once
    # and a member whose alert fired gets no digest beside it: the alert's message gives the same price
    alerted = {row[0] for row in unique if row[1] != "daily"}
    if alerted:
        unique = [row for row in unique if row[1] != "daily" or row[0] not in alerted]
    cut = len(unique)
    if more and unique:
        keys = [row[1:3] for row in unique]
        main = max(set(keys), key=keys.count)
        ends = [i + 1 for i, key in enumerate(keys) if key == main][MULTICAST_LIMIT - 1 :: MULTICAST_LIMIT]
        if ends and ends[-1] > cut // 2:
            cut = ends[-1]
            while cut < len(unique) and unique[cut][0] == unique[cut - 1][0]:
                cut += 1  # the rest of that member's messages
    chosen = sorted(unique[:cut], key=itemgetter(1, 2))  # stable: member order within each message
    groups = {key: [row[3] for row in group] for key, group in groupby(chosen, key=itemgetter(1, 2))}
    return groups, (unique[cut - 1][0] if cut < len(unique) else None)


def queue_chunk(db: Session, run: AlertRun, span: int) -> tuple[list[dict[str, Any]], int, bool]:
    """Queue the recipients among the next `span` member ids of a run and move its cursor, in the caller's
    transaction; returns the new deliveries (as plain values), how many recipients, and whether the run is
    done."""
    if run.last_member is None:  # evaluated before migration 0104, or by the previous release during a rollout
        run.last_member = fired_members(db, run.id)[2] or 0
    upto = run.queued_until + span
    more = upto < run.last_member
    groups, cut_after = _cut(recipients(db, run.id, run.queued_until, upto), more)
    before = previous(db, run.quote)
    values: list[dict[str, Any]] = []
    queued = 0
    for (kind, locale), user_ids in groups.items():
        messages = [m.to_dict() for m in pushes.price_alert(translator(locale), locale, run.quote, before, kind)]
        for delivery in queue(db, user_ids, messages, PURPOSE):
            db.add(AlertLog(run_id=run.id, event=kind, locale=locale, recipients=len(delivery.recipients),
                            delivery_id=delivery.id))
            values.append({"id": delivery.id, "retry_key": delivery.retry_key, "purpose": PURPOSE,
                           "recipients": delivery.recipients, "messages": delivery.messages, "attempts": 0,
                           "status": "pending"})
            queued += len(delivery.recipients)
    cursor, to = run.queued_until, upto if cut_after is None else cut_after  # a cut window's rest is read again
    done = not more
    if not advance(db, run.id, cursor, to, done, utcnow()):
        raise RunTaken(run.id)
    run.queued_until = to
    db.flush()
    return values, queued, done


def deliver_runs(db: Session, outbox: Outbox, workers: int = WORKERS, chunks: tuple[int, int] = (FIRST_CHUNK, CHUNK),
                 ) -> Report:
    """Claim the runs waiting to be queued (and runs a stopped worker left) and queue them chunk by chunk,
    sending each chunk's deliveries while the next one is queued."""
    report, started = Report(), time.perf_counter()
    with db.begin():
        run_ids = claim_runs(db, utcnow())
    if not run_ids:
        return report
    stream = Stream(outbox, workers, record_quota=False)  # a price morning's first calls wait for nothing else
    try:
        for run_id in run_ids:
            span, done = chunks[0], False
            while not done:
                try:
                    with db.begin():  # the chunk's deliveries, log rows and cursor commit together
                        run = db.get(AlertRun, run_id, populate_existing=True)
                        if run is None:
                            break
                        values, queued, done = queue_chunk(db, run, span)
                except RunTaken:
                    log.warning("price alerts: run %s was taken over by another worker", run_id)
                    break
                report.queued += queued
                db.expunge_all()  # the chunk's rows are committed; keep the session small
                stream.submit([Delivery(**row) for row in values])
                span = chunks[1]
        report.queueing = time.perf_counter() - started
    finally:
        with db.begin():
            report.sent += stream.finish(db)
        report.held = [copy.id for copy in stream.held]
    return report


def deliver(app: Flask, workers: int = WORKERS) -> int:
    """The scheduler job (and what the CLI runs after a post): send what is left pending from earlier ticks
    (held by the quota, or queued by a worker that stopped), then queue and send the fired alerts."""
    outbox: Outbox = app.extensions["outbox"]
    with outbox.sending() as mine:
        if not mine:  # another sender is at the outbox; the runs wait for the next tick
            return 0
        sent = outbox.send_due(workers)
        with app.extensions["sessions"]() as db:
            report = deliver_runs(db, outbox, workers)
    if report.queued:
        log.info("price alerts: %d recipients queued, %d deliveries sent", report.queued, report.sent)
    return sent + report.sent
