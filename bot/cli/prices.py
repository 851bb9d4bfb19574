"""`coopbot prices …`: import RAOT exports, post a center's price of the day, fetch the Ministry's prices."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from bot.importers import moc, raot
from models.network import center_by_code
from models.prices import (
    RUBBER_TYPES,
    PriceError,
    checked,
    federation,
    jump_from,
    local_day,
    post,
)

prices_cli = AppGroup("prices", help="Rubber prices: import RAOT exports, post the day's price, fetch MoC prices.")
SHOWN_PER_REASON = 5


def _deliver_alerts() -> int:
    from bot.jobs import price_alerts  # here: it loads the handlers and the LINE SDK

    return price_alerts.deliver(current_app._get_current_object())  # type: ignore[attr-defined]


def _print(report: raot.Report, verbose: bool) -> None:
    click.echo(
        f"{report.file}: {report.rows_read} rows read, {report.imported} prices imported, "
        f"{report.updated} updated, {report.unchanged} already there, {len(report.skipped)} skipped"
    )
    for reason, skips in report.reasons().items():
        shown = skips if verbose else skips[:SHOWN_PER_REASON]
        where = ", ".join(f"line {s.line} ({s.day}{' ' + s.rubber_type if s.rubber_type else ''})" for s in shown)
        more = f" and {len(skips) - len(shown)} more" if len(skips) > len(shown) else ""
        click.echo(f"  skipped {len(skips)}: {reason}: {where}{more}")


@prices_cli.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--verbose", "-v", is_flag=True, help="List every skipped price, not the first few per reason.")
def import_prices(files: tuple[Path, ...], verbose: bool) -> None:
    """Import RAOT opening-price exports as published (idempotent: importing twice changes nothing)."""
    for path in files:
        if not path.is_file():
            raise click.ClickException(f"{path}: no such file")
    for path in files:
        try:
            with current_app.extensions["sessions"]() as db, db.begin():
                report = raot.import_file(db, path)
        except raot.FormatError as exc:
            raise click.ClickException(f"{path.name}: {exc}") from None
        _print(report, verbose)
        if report.fired:
            sent = _deliver_alerts()
            click.echo(f"  today's prices fired {report.fired} alerts: {sent} messages sent")


@prices_cli.command("post")
@click.argument("rubber_type", metavar="TYPE", type=click.Choice(RUBBER_TYPES))
@click.argument("price")
@click.option("--center", "center_code", help="The posting center's code (default: the rubber federation).")
@click.option("--yes", is_flag=True, help="Post even when the price moved more than 15% from the last one.")
def post_price(rubber_type: str, price: str, center_code: str | None, yes: bool) -> None:
    """Post today's buying price of TYPE in baht per kg (e.g. 58.50) for a center, and send the alerts it fires."""
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)?", price.strip()):
        raise click.ClickException(f"price must be a number of baht per kg such as 58.50, got {price!r}")
    try:
        value = checked(Decimal(price.strip()))
    except PriceError as exc:
        raise click.ClickException(f"price {price} refused: {_reason(exc)}") from None
    now = datetime.now(UTC)
    day = local_day(now)
    with current_app.extensions["sessions"]() as db, db.begin():
        center = center_by_code(db, center_code) if center_code else federation(db)
        if center is None:
            raise click.ClickException(f"no center with code {center_code} (see 'coopbot centers')"
                                       if center_code else "no rubber federation: run 'coopbot seed' first")
        before = jump_from(db, center.id, rubber_type, value, day)
        if before is not None and not yes:
            raise click.ClickException(
                f"{value} is more than 15% away from the last price, {before.baht_per_kg} on {before.day}; "
                "run again with --yes if it is right"
            )
        _quote, fired = post(db, center.id, rubber_type, value, now)
        code = center.code
    sent = _deliver_alerts() if fired else 0
    click.echo(f"posted {rubber_type} {value} baht/kg for {code} on {day}: {fired} alerts fired, {sent} messages sent")


def _reason(error: PriceError) -> str:
    return {
        "implausible": "outside the plausible 20–150 baht/kg",
        "too_precise": "more than two decimals",
        "not_positive": "it must be more than zero",
    }.get(error.reason, "not a number")


@prices_cli.command("fetch-moc")
@click.option("--days", default=moc.CATCH_UP_DAYS, show_default=True, type=click.IntRange(1, 366))
def fetch_moc(days: int) -> None:
    """Fetch the Ministry of Commerce's rubber prices for the last DAYS days."""
    settings = current_app.config["SETTINGS"]
    now = datetime.now(UTC)
    end = local_day(now)
    try:
        rows = moc.fetch(moc.MocClient(settings.moc_api_base_url), end - timedelta(days=days - 1), end)
    except moc.MocError as exc:
        raise click.ClickException(str(exc)) from None
    with current_app.extensions["sessions"]() as db, db.begin():
        stored, fired = moc.store(db, rows, now)
    if fired:
        _deliver_alerts()
    click.echo(f"{stored} Ministry of Commerce prices stored, {fired} alerts fired")
