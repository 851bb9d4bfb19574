"""Prices (/admin/prices): post the day's buying price for a center (the rules of chat's price.post and `coopbot
prices post`: models.prices.checked, jump_from, post), import RAOT exports (admins; bot.importers.raot, a file
that is not an export is refused with the reason), and the history as a chart (bot.web.charts)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import BooleanField, SelectField, StringField

from bot.importers import raot
from bot.web import words
from bot.web.admin import labels
from bot.web.admin.announcements import speaks_for
from bot.web.admin.auth import admin_required, bp, staff_required
from bot.web.admin.auth import db as _db
from bot.web.admin.forms import N_, ConsoleForm, choices
from models.base import utcnow
from models.network import Center
from models.prices import (
    DEFAULT_DAYS,
    RUBBER_TYPES,
    Preference,
    PriceError,
    PriceQuote,
    checked,
    history,
    jump_from,
    local_day,
    move_percent,
    post,
)

PRICE_PROBLEMS = {
    "implausible": N_("Outside the usual 20–150 baht/kg: check the price and type it again."),
    "too_precise": N_("At most two decimals, for example 58.50."),
    "not_positive": N_("The price must be more than zero."),
    "not_a_number": N_("Type the price as a number, for example 58.50."),
}
IMPORT_PROBLEMS = {
    "not_text": N_("This is not a text file: RAOT's exports are CSV files in UTF-8 or Thai Windows text."),
    "no_header": N_("This is not a RAOT opening-price export: no column is named น้ำยางสด, ยางแผ่นดิบ, "
                    "ยางแผ่นรมควัน or ยางก้อนถ้วย."),
}
CHART_DAYS = (7, 30, 90, 365)
HISTORY_ROWS = 14


class PostForm(ConsoleForm):
    center = SelectField(N_("Coordination center"), choices=[])
    rubber_type = SelectField(N_("Rubber type"), choices=choices((t, labels.RUBBER_TYPES[t]) for t in RUBBER_TYPES))
    price = StringField(N_("Buying price, baht per kg"))
    sure = BooleanField(N_("Yes, the price is right"))


class ImportForm(ConsoleForm):
    file = FileField(N_("RAOT export (CSV)"), validators=[FileRequired(N_("Choose a file to import."))])


def _post_form(form: PostForm | None = None) -> PostForm:
    form = form or PostForm(center=str(g.member.center_id or ""))
    form.center.choices = choices((str(c.id), c.name(g.locale)) for c in speaks_for())
    form.rubber_type.choices = labels.choices((t, labels.RUBBER_TYPES[t]) for t in RUBBER_TYPES)
    return form


@bp.get("/prices")
@staff_required
def prices() -> str:
    return _page(_post_form(), ImportForm())


def _page(post_form: PostForm, import_form: ImportForm, jump: PriceQuote | None = None,
          price: Decimal | None = None) -> str:
    db = _db()
    ids = [int(choice.value) for choice in post_form.center.choices]
    chosen = int(post_form.center.data) if str(post_form.center.data or "").isdigit() else (ids[0] if ids else 0)
    center = db.get(Center, chosen) if chosen in ids else None
    posted = list(db.scalars(
        select(PriceQuote).where(PriceQuote.source == "center", PriceQuote.center_id.in_(ids))
        .order_by(PriceQuote.day.desc(), PriceQuote.rubber_type).limit(HISTORY_ROWS * len(RUBBER_TYPES))))
    kind = request.args.get("type", "latex") if request.args.get("type") in RUBBER_TYPES else "latex"
    days = int(request.args.get("days", DEFAULT_DAYS)) if request.args.get("days", "").isdigit() else DEFAULT_DAYS
    days = days if days in CHART_DAYS else DEFAULT_DAYS
    today = local_day(utcnow())
    series = history(db, kind, Preference(center.id if center else None), today - timedelta(days - 1), today)
    query: dict[str, Any] = {"end": today.isoformat(), "lang": g.locale, **({"coop": center.code} if center else {})}
    chart = None if series is None or len(series.points) < 2 else url_for("charts.chart", kind=kind, days=days,
                                                                          **query)
    pct = move_percent(jump.baht_per_kg, price) if jump is not None and price is not None else None
    return render_template("admin/prices.html", post_form=post_form, import_form=import_form, posted=posted,
                           jump=jump, jump_pct=pct, chart=chart, kind=kind, days=days, chart_days=CHART_DAYS,
                           chart_center=center, rubber_type_codes=RUBBER_TYPES, **labels.context())


@bp.post("/prices")
@staff_required
def prices_post() -> Response | tuple[str, int]:
    from bot.jobs import price_alerts  # here: it loads the handlers and the LINE SDK
    _ = g._
    db = _db()
    form = _post_form(PostForm())
    if not form.validate():
        return _page(form, ImportForm()), 400
    center = db.get(Center, int(form.center.data or 0))
    assert center is not None  # the choices are the centers in scope
    try:
        value = checked(Decimal((form.price.data or "").strip().replace(",", "")))
    except InvalidOperation:
        form.price.errors.append(PRICE_PROBLEMS["not_a_number"])
        return _page(form, ImportForm()), 400
    except PriceError as error:
        form.price.errors.append(PRICE_PROBLEMS[error.reason])
        return _page(form, ImportForm()), 400
    now = utcnow()
    kind = form.rubber_type.data or ""
    jump = jump_from(db, center.id, kind, value, local_day(now))
    if jump is not None and not form.sure.data:
        db.rollback()
        return _page(form, ImportForm(), jump, value), 400
    _quote, fired = post(db, center.id, kind, value, now, g.member.id)
    db.commit()
    if fired:
        price_alerts.deliver(current_app._get_current_object())  # type: ignore[attr-defined]
    done = _("Posted: {type} {price} baht/kg at {center}, {day}.").format(
        type=_(labels.RUBBER_TYPES[kind]), price=words.fmt.baht(value), center=center.name(g.locale),
        day=words.fmt.day(local_day(now), g.locale))
    if fired:
        done += " " + _("{n} price alerts will be sent to members.").format(n=words.fmt.number(fired))
    flash(done)
    return redirect(url_for("admin.prices"), 303)


@bp.post("/prices/import")
@admin_required
def prices_import() -> Response | tuple[str, int]:
    from bot.jobs import price_alerts  # here: it loads the handlers and the LINE SDK
    _ = g._
    db = _db()
    form = ImportForm()
    if not form.validate():
        return _page(_post_form(), form), 400
    upload = form.file.data
    try:
        report = raot.import_bytes(db, upload.filename or "upload.csv", upload.read())
    except raot.FormatError as error:
        db.rollback()
        form.file.errors.append(IMPORT_PROBLEMS.get(error.reason, str(error)))
        return _page(_post_form(), form), 400
    db.commit()
    if report.fired:
        price_alerts.deliver(current_app._get_current_object())  # type: ignore[attr-defined]
    flash(_("{file}: {rows} rows read, {imported} prices imported, {updated} corrected, {unchanged} already there, "
            "{skipped} cells without a price.").format(
        file=report.file, rows=report.rows_read, imported=report.imported, updated=report.updated,
        unchanged=report.unchanged, skipped=len(report.skipped)))
    return redirect(url_for("admin.prices"), 303)
