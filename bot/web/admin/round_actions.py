"""Rounds, continued: what happens after the close (ordered, arrived at pickup points, delivered), an order taken
for a member without a smartphone, and the supplier export (/admin/rounds/<id>/export.xlsx and .csv, contract)."""

from __future__ import annotations

import io
from typing import Any

from flask import abort, current_app, flash, g, request
from werkzeug.wrappers import Response

from bot.web import words
from bot.web.admin.auth import bp, db, staff_required
from bot.web.admin.forms import choices
from bot.web.admin.round_forms import ArrivedForm, OfflineOrderForm, order_refused
from bot.web.admin.rounds import _back, _drain, _round, _view
from models.base import utcnow
from models.closing import advance
from models.network import DISTRICTS
from models.offline import order_for
from models.orders import OrderRefused, round_lines


@bp.post("/rounds/<int:round_id>/mark")
@staff_required
def rounds_mark(round_id: int) -> Response:
    _, round_ = g._, _round(round_id)
    status = request.form.get("status", "")
    if status not in ("ordered", "delivered") or advance(db(), round_.id, status, utcnow()) is None:
        db().rollback()
        flash(_("This round cannot be marked so from where it stands: nothing was changed."), "error")
        return _back(round_)
    db().commit()
    flash(_("Marked ordered from the supplier.") if status == "ordered" else
          _("Marked delivered: members' savings count from now."))
    return _back(round_)


@bp.post("/rounds/<int:round_id>/arrived")
@staff_required
def rounds_arrived(round_id: int) -> Any:
    _, round_ = g._, _round(round_id)
    form = ArrivedForm()
    lines = round_lines(db(), round_.id)
    points = [int(p.center_id.data) for p in form.points if p.chosen.data and str(p.center_id.data).isdigit()]
    own = {line.pickup_center_id for line in lines}
    if not form.validate_on_submit() or not points or not set(points) <= own:
        form.points.errors = [_("Tick the pickup points where the goods are.")]
        return _view(round_, arrived=form), 400
    if round_.direction != "buy" or round_.status not in ("closed", "ordered"):
        flash(_("Goods arrive for a buying round once it is closed: nothing was changed."), "error")
        return _back(round_)
    marked, told = words.console.tell_arrived(db(), round_, points, utcnow(), form.until.data)
    db().commit()
    _drain()
    flash(_("Arrived at {points} pickup point(s); {told} member(s) told to collect.").format(
        points=len(marked), told=told))
    return _back(round_)


@bp.post("/rounds/<int:round_id>/orders")
@staff_required
def rounds_order(round_id: int) -> Any:
    _, round_ = g._, _round(round_id)
    form = OfflineOrderForm()
    form.district.choices = choices([("", "-"), *((d, d) for d, _english in DISTRICTS)])
    if form.validate_on_submit():
        try:
            outcome = order_for(db(), round_, form.quantity.data, name=form.name.data or "", phone=form.phone.data,
                                district=form.district.data or None, now=utcnow(), actor=g.member)
        except OrderRefused as exc:
            db().rollback()
            problem = order_refused(form, exc, round_)
            if problem:
                flash(problem, "error")
        else:
            db().commit()
            flash(_("{name} now has {quantity} in this round.").format(
                name=outcome.line.member.name, quantity=current_app.jinja_env.filters["units"](
                    outcome.line.quantity, round_.product.unit)))
            return _back(round_)
    return _view(round_, offline=form), 400


@bp.get("/rounds/<int:round_id>/export.<kind>")
@staff_required
def rounds_export(round_id: int, kind: str) -> Response:
    """The supplier export (contract): the same files as `coopbot orders export`."""
    from bot.render import exports  # here: it loads openpyxl
    round_ = _round(round_id)
    if kind not in ("csv", "xlsx"):
        abort(404)
    table = exports.rows(db(), [round_])
    name = f"orders-{round_.id}.{kind}"
    if kind == "csv":
        text = io.StringIO()
        exports.write_csv(table, text)
        body: bytes = ("\ufeff" + text.getvalue()).encode()  # with a BOM, as the CLI writes: Excel reads Thai
        mimetype = "text/csv; charset=utf-8"
    else:
        binary = io.BytesIO()
        exports.write_xlsx(table, exports.by_point(db(), [round_]), binary)
        body, mimetype = binary.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename={name}"})

