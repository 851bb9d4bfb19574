"""`coopbot rounds …` and `coopbot orders …`: run rounds, export orders for suppliers, and order on behalf
of members without a smartphone. Times are local (Thailand); quantities are in the product's
order unit (sacks, kg, heads, bags)."""

from __future__ import annotations

import sys
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import opening
from models.base import BANGKOK, utcnow
from models.closing import advance, close
from models.member import Member, member_by_line_id, normalize_mobile
from models.network import center_by_code
from models.offline import order_for
from models.orders import OrderRefused, line_for, weigh
from models.products import product_by_code
from models.rounds import (
    BELOW_MINIMUM,
    CLOSING_TIME,
    DIRECTIONS,
    SHORTFALL_RULES,
    Round,
    round_by_id,
)

rounds_cli = AppGroup("rounds", help="Order rounds: list, open, close, mark ordered or delivered.")
orders_cli = AppGroup("orders", help="Members' orders: supplier exports, orders on a member's behalf.")


def local_time(value: str, option: str) -> datetime:
    """'2026-12-03' (at 17:00) or '2026-12-03 12:00', local time."""
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2026-12-03 or 2026-12-03 17:00",
                                 param_hint=option) from None
    if len(value.strip()) <= 10:
        parsed = datetime.combine(parsed.date(), CLOSING_TIME)
    return parsed.replace(tzinfo=BANGKOK) if parsed.tzinfo is None else parsed


def _day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2026-12-06", param_hint=option) from None


def _decimal(value: str | None, option: str) -> Decimal | None:
    if value is None:
        return None
    try:
        number = Decimal(value.replace(",", ""))
    except InvalidOperation:
        raise click.BadParameter(f"{value!r} is not a number", param_hint=option) from None
    if not number.is_finite() or number < 0:
        raise click.BadParameter(f"{value!r} must be a number of 0 or more", param_hint=option)
    return number


def _round(db: Session, round_id: str) -> Round:
    found = round_by_id(db, round_id)
    if found is None:
        raise click.ClickException(f"no round {round_id} (see 'coopbot rounds list')")
    return found


@rounds_cli.command("list")
@click.option("--all", "everything", is_flag=True, help="Also closed, delivered and cancelled rounds.")
def list_rounds(everything: bool) -> None:
    """Rounds with their status, progress and deadline."""
    with current_app.extensions["sessions"]() as db:
        query = select(Round).order_by(Round.closes_at, Round.id)
        if not everything:
            query = query.where(Round.status.in_(("draft", "open", "closed", "ordered")))
        for r in db.scalars(query):
            cap = f"/{r.max_total.normalize():f}" if r.max_total is not None else ""
            closes = r.closes_at.astimezone(BANGKOK).strftime("%Y-%m-%d %H:%M")
            amount = f"{r.total.normalize():f}{cap} {r.product.unit}"
            click.echo(f"{r.id:>4}  {r.status:9} {r.direction:4} {r.product.code:20} {r.center.code:14} "
                       f"{amount:16} closes {closes}")


@rounds_cli.command("open")
@click.argument("product_code")
@click.option("--price", required=True, help="Group price per unit, in baht.")
@click.option("--closes", required=True, help="Deadline, local: 2026-12-03 or '2026-12-03 12:00'.")
@click.option("--opens", help="When members may start joining (default: now).")
@click.option("--min", "minimum", help="Minimum total for the round to go ahead.")
@click.option("--max", "maximum", help="Maximum total, or the stock on hand.")
@click.option("--rule", type=click.Choice(SHORTFALL_RULES), default="fcfs", show_default=True,
              help="When the last pack is not full: the latest orders get less, or round up where members agreed.")
@click.option("--below-minimum", type=click.Choice(BELOW_MINIMUM), default="cancel", show_default=True)
@click.option("--extend-days", type=click.IntRange(1, 30), default=3, show_default=True)
@click.option("--pickup-on", help="Pickup (or collection) date at the district cooperatives.")
@click.option("--pickup", "pickups", multiple=True, help="A center's own pickup date, CODE=DATE (repeatable).")
@click.option("--tier", "tiers", multiple=True, help="Price tier MIN:PRICE, e.g. 100:577 (repeatable).")
@click.option("--center", "center_code", help="Coordinating center code (default: by brand or network).")
@click.option("--direction", type=click.Choice(DIRECTIONS), default="buy", show_default=True)
@click.option("--yes", is_flag=True, help="Open even when the price moved more than 15% from the last round's.")
def open_round(product_code: str, price: str, closes: str, opens: str | None, minimum: str | None,
               maximum: str | None, rule: str, below_minimum: str, extend_days: int, pickup_on: str | None,
               pickups: tuple[str, ...], tiers: tuple[str, ...], center_code: str | None, direction: str,
               yes: bool) -> None:
    """Open a round for a product (see 'coopbot rounds list' for ids)."""
    closes_at, opens_at = local_time(closes, "--closes"), local_time(opens, "--opens") if opens else None
    parsed_tiers = []
    for tier in tiers:
        low, _, tier_price = tier.partition(":")
        parsed_tiers.append((_decimal(low, "--tier") or Decimal(0), _decimal(tier_price, "--tier") or Decimal(0)))
    with current_app.extensions["sessions"]() as db, db.begin():
        product = product_by_code(db, product_code)
        if product is None:
            raise click.ClickException(f"no product {product_code}")
        center = center_by_code(db, center_code) if center_code else None
        if center_code and center is None:
            raise click.BadParameter(f"no center {center_code!r} (see 'coopbot centers')", param_hint="--center")
        points: list[tuple[int, date | None]] = []
        for pickup in pickups:
            code, _, day = pickup.partition("=")
            point = center_by_code(db, code)
            if point is None:
                raise click.BadParameter(f"no center {code!r} (see 'coopbot centers')", param_hint="--pickup")
            points.append((point.id, _day(day, "--pickup")))
        terms = opening.Terms(price=_decimal(price, "--price") or Decimal(0), closes_at=closes_at, opens_at=opens_at,
                      min_total=_decimal(minimum, "--min"), max_total=_decimal(maximum, "--max"), tiers=parsed_tiers,
                      shortfall_rule=rule, below_minimum=below_minimum, extend_days=extend_days,
                      pickup_on=_day(pickup_on, "--pickup-on") if pickup_on else None, pickups=points,
                      direction=direction)
        try:
            round_ = opening.open_round(db, product, center, terms, utcnow(), sure=yes)
        except opening.RoundRefused as exc:
            raise _refused(exc) from None
        click.echo(f"opened round {round_.id}: {product.code} at {round_.center.code}, closes "
                   f"{closes_at.astimezone(BANGKOK):%Y-%m-%d %H:%M}")


def _refused(exc: opening.RoundRefused) -> click.ClickException:
    """The one line a refused opening prints."""
    if exc.reason == "past_deadline":
        return click.BadParameter("the deadline must be in the future and after the opening", param_hint="--closes")
    if exc.reason == "no_center":
        return click.ClickException("no coordinating center: give --center CODE (see 'coopbot centers')")
    if exc.reason == "already_open":
        running: Round = exc.facts["round"]
        return click.ClickException(
            f"round {running.id} of {running.product.code} at {running.center.code} is open until "
            f"{running.closes_at.astimezone(BANGKOK):%Y-%m-%d %H:%M}: close it first ('coopbot rounds close "
            f"{running.id}')")
    if exc.reason == "price_jump":
        last: Round = exc.facts["last"]
        return click.ClickException(
            f"{last.price} in round {last.id} is more than 15% away from this price; run again with --yes if it is "
            "right")
    facts = ", ".join(f"{name}={value}" for name, value in exc.facts.items())
    return click.ClickException(f"refused: {exc.reason}" + (f" ({facts})" if facts else ""))


@rounds_cli.command("close")
@click.argument("round_id")
def close_round(round_id: str) -> None:
    """Close a round now: whole packs, final shares; members are told."""
    now = utcnow()
    with current_app.extensions["sessions"]() as db, db.begin():
        result = close(db, _round(db, round_id).id, now)
        assert result is not None
        if result.outcome == "not_open":
            raise click.ClickException(f"round {round_id} is {result.round.status}, not open")
        from bot.jobs import rounds as round_jobs  # here: it loads the handlers and the LINE SDK

        round_jobs.queue_notices(db)
        click.echo(f"round {round_id}: {result.outcome}, {result.quantity.normalize():f} {result.round.product.unit}"
                   f" in {result.packs} {result.round.product.pack_unit}(s) for {result.members} members")
    current_app.extensions["outbox"].drain()


@rounds_cli.command("arrived")
@click.argument("round_id")
@click.option("--point", "points", multiple=True, help="A pickup point's center code (repeatable; default: every "
              "point with orders).")
@click.option("--until", help="The last day members may collect, YYYY-MM-DD.")
def goods_arrived(round_id: str, points: tuple[str, ...], until: str | None) -> None:
    """The goods have arrived at pickup points: their members are told where and until when to collect."""
    from bot.routes import console  # here: it loads the handlers and the LINE SDK

    last_day = _day(until, "--until") if until else None
    with current_app.extensions["sessions"]() as db, db.begin():
        round_ = _round(db, round_id)
        if round_.direction != "buy" or round_.status not in ("closed", "ordered"):
            raise click.ClickException(f"round {round_id} is a {round_.direction} round, {round_.status}: goods "
                                       "arrive for a closed buying round")
        centers = []
        for code in points:
            center = center_by_code(db, code)
            if center is None:
                raise click.ClickException(f"no center {code} (see 'coopbot centers')")
            centers.append(center.id)
        marked, told = console.tell_arrived(db, round_, centers, utcnow(), last_day)
    current_app.extensions["outbox"].drain()
    click.echo(f"round {round_id}: arrived at {len(marked)} point(s), {told} member(s) told")


@rounds_cli.command("mark")
@click.argument("round_id")
@click.argument("status", type=click.Choice(["ordered", "delivered"]))
def mark(round_id: str, status: str) -> None:
    """Record that a closed round was ordered from the supplier, or delivered (savings count from then)."""
    with current_app.extensions["sessions"]() as db, db.begin():
        if advance(db, _round(db, round_id).id, status, utcnow()) is None:
            raise click.ClickException(f"round {round_id} cannot be marked {status} from its current status")
    click.echo(f"round {round_id} is now {status}")


@orders_cli.command("export")
@click.argument("round_id", required=False)
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default: "
              "standard output for CSV, orders-ROUND.xlsx for XLSX).")
def export(round_id: str | None, fmt: str, output: Path | None) -> None:
    """Orders for the supplier: one round, or every closed round not yet delivered."""
    from bot.render import exports  # here: openpyxl takes a while to load

    with current_app.extensions["sessions"]() as db:
        rounds = exports.rounds_to_export(db, _round(db, round_id).id if round_id else None)
        if not rounds:
            raise click.ClickException("no closed rounds to export; give a ROUND id (see 'coopbot rounds list')")
        table = exports.rows(db, rounds)
        if fmt == "csv":
            if output is None:
                exports.write_csv(table, sys.stdout)
                return
            with output.open("w", newline="", encoding="utf-8-sig") as stream:
                exports.write_csv(table, stream)
        else:
            output = output or Path(f"orders-{round_id or 'closed'}.xlsx")
            with output.open("wb") as binary:
                exports.write_xlsx(table, exports.by_point(db, rounds), binary)
    click.echo(f"wrote {len(table)} lines to {output}", err=True)


@orders_cli.command("add")
@click.argument("round_id")
@click.argument("quantity")
@click.option("--name", required=True, help="The member's full name.")
@click.option("--phone", required=True, help="The member's mobile number (how the cooperative reaches them).")
@click.option("--district", help="Their district (Thai name), for the pickup point.")
@click.option("--by", "coordinator_id", help="LINE user id of the coordinator taking the order.")
def add(round_id: str, quantity: str, name: str, phone: str, district: str | None, coordinator_id: str | None) -> None:
    """Order on behalf of a member without a smartphone (same rules as in chat)."""
    if normalize_mobile(phone) is None:
        raise click.BadParameter(f"{phone!r} is not a Thai mobile number like 0812345678", param_hint="--phone")
    amount = _decimal(quantity, "QUANTITY")
    assert amount is not None
    with current_app.extensions["sessions"]() as db, db.begin():
        round_ = _round(db, round_id)
        actor = member_by_line_id(db, coordinator_id) if coordinator_id else None
        if coordinator_id and actor is None:
            raise click.ClickException(f"{coordinator_id} is not a coordinator of {round_.center.code}")
        try:
            outcome = order_for(db, round_, amount, name=name, phone=phone, district=district, now=utcnow(),
                                actor=actor)
        except OrderRefused as exc:
            if exc.reason == "not_staff":
                raise click.ClickException(f"{coordinator_id} is not a coordinator of {round_.center.code}") from None
            raise click.ClickException(f"refused: {exc.reason} {exc.facts or ''}".strip()) from None
        click.echo(f"{outcome.line.member.name}: {outcome.line.quantity.normalize():f} {round_.product.unit} in "
                   f"round {round_.id}")


@orders_cli.command("weigh")
@click.argument("round_id")
@click.argument("phone")
@click.option("--kg", required=True, help="The weight collected, in kg.")
@click.option("--drc", help="The DRC measured, in % (field latex and cup lump).")
def weigh_pledge(round_id: str, phone: str, kg: str, drc: str | None) -> None:
    """Record a pledge weighed at collection: what the member sold, and for latex and cup lump the DRC measured,
    which replaces the estimate; the amount follows (and the center's average DRC for the next estimates)."""
    mobile = normalize_mobile(phone)
    if mobile is None:
        raise click.BadParameter(f"{phone!r} is not a Thai mobile number like 0812345678", param_hint="PHONE")
    weight, measured = _decimal(kg, "--kg"), _decimal(drc, "--drc")
    assert weight is not None
    with current_app.extensions["sessions"]() as db, db.begin():
        round_ = _round(db, round_id)
        member = db.scalar(select(Member).where(Member.phone == mobile))
        line = line_for(db, round_.id, member.id) if member is not None else None
        if line is None:
            raise click.ClickException(f"no pledge of {mobile} in round {round_.id}")
        try:
            weigh(db, line.id, weight, measured, utcnow())
        except OrderRefused as exc:
            raise click.ClickException(f"refused: {exc.reason} {exc.facts or ''}".strip()) from None
        dry = "" if line.drc is None else (
            f" at DRC {line.drc.normalize():f}% ({line.dry.quantize(Decimal('0.01'))} kg dry)")
        click.echo(f"{member.name}: {line.final.normalize():f} kg{dry} = {line.amount} baht")
