"""Rounds (/admin/rounds, contract): the rounds the signed-in person may see; open one from the product list,
change its terms while it is open, close, cancel or extend it, see who gets what before and after the close,
download the supplier export (/admin/rounds/<id>/export.xlsx and .csv, contract), mark it ordered, arrived at
a pickup point, delivered, and take an order for a member without a smartphone.

Every rule is the domain's (models.opening, models.closing, models.offline, models.orders), as for the CLI
and chat; this module reads forms and shows results. A round outside the person's centers is a 404."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from sqlalchemy import case, select
from werkzeug.wrappers import Response

from bot.web import words
from bot.web.admin.auth import bp, db, get_in_scope, in_scope, scoped, staff_required
from bot.web.admin.forms import N_, ConsoleForm, choices
from bot.web.admin.round_forms import (
    ArrivedForm,
    ExtendForm,
    OfflineOrderForm,
    RoundForm,
    TermsForm,
    deadline,
    fill,
    offer_points,
    round_refused,
    terms_of,
)
from models import opening
from models.base import utcnow
from models.closing import cancel, close, forecast
from models.network import DISTRICTS, Center
from models.orders import OrderLine, round_lines
from models.prices import move_percent
from models.products import Product, coordinating_center
from models.rounds import Round

FINISHED_SHOWN = 30
STATUS_NAMES = {"draft": N_("Draft"), "open": N_("Open"), "closed": N_("Closed"),
                "ordered": N_("Ordered from the supplier"), "delivered": N_("Delivered"), "cancelled": N_("Cancelled")}
RULE_NAMES = {"fcfs": N_("The latest orders get less"), "round_up": N_("Members who agreed take more to fill it"),
              "cancel": N_("Cancel the round"), "extend": N_("Extend it once")}


@dataclass(frozen=True)
class Progress:
    """How far a round is: toward its minimum (else its maximum), the pack being filled, the next tier."""

    percent: int | None  # of the minimum (or of the maximum when there is no minimum)
    toward: str  # "minimum", "maximum" or ""
    reached: bool
    pack: int
    missing: Decimal
    next_tier: tuple[Decimal, Decimal] | None
    remaining: Decimal | None


def progress(round_: Round) -> Progress:
    goal, toward = (round_.min_total, "minimum") if round_.min_total else (round_.max_total, "maximum")
    percent = None if not goal else min(100, int(round_.total * 100 / goal))
    pack, missing = round_.pack_progress()
    return Progress(percent, toward if goal else "", goal is not None and round_.total >= goal, pack, missing,
                    round_.next_tier(), round_.remaining())


def _round(round_id: int) -> Round:
    return get_in_scope(Round, round_id, lambda r: r.center_id)


@bp.get("/rounds")
@staff_required
def rounds() -> str:
    order = case((Round.status == "open", 0), (Round.status.in_(("closed", "ordered")), 1), else_=2)
    found = list(db().scalars(scoped(select(Round), Round.center_id).order_by(order, Round.closes_at.desc())))
    live = [r for r in found if r.status == "open"]
    running = [r for r in found if r.status in ("closed", "ordered")]
    finished = [r for r in found if r.status not in ("open", "closed", "ordered")][:FINISHED_SHOWN]
    return render_template("admin/rounds/list.html", live=[(r, progress(r)) for r in live], running=running,
                           finished=finished, statuses=STATUS_NAMES)


def _points() -> list[Center]:
    """Where members pick up: the district and sub-district cooperatives."""
    return list(db().scalars(select(Center).where(Center.level.in_(("district", "subdistrict")))
                             .order_by(Center.level, Center.id)))


def _form_page(form: TermsForm, round_: Round | None, jump: Round | None = None) -> str:
    pct = move_percent(jump.price, form.price.data) if jump is not None else None
    return render_template("admin/rounds/form.html", form=form, round=round_, jump=jump, jump_pct=pct,
                           names={c.id: c.name(g.locale) for c in _points()})


def _choices(form: RoundForm) -> None:
    _, locale = g._, g.locale
    products = db().scalars(select(Product).where(Product.active.is_(True)).order_by(Product.category, Product.id))
    form.product.choices = choices((p.id, f"{p.name(locale)} ({p.code})") for p in products)
    centers = db().scalars(scoped(select(Center), Center.id).order_by(Center.level, Center.id))
    form.center.choices = choices([(0, _("By brand or network (automatic)")),
                                   *((c.id, c.name(locale)) for c in centers)])


@bp.route("/rounds/new", methods=["GET", "POST"])
@staff_required
def rounds_new() -> Any:
    form = RoundForm()
    _choices(form)
    if request.method == "GET" and request.args.get("product", "").isdigit():
        form.product.data = int(request.args["product"])
    offer_points(form, _points(), {})
    if not form.validate_on_submit():
        return _form_page(form, None), 400 if form.errors else 200
    product = db().get(Product, form.product.data)
    center = db().get(Center, form.center.data) if form.center.data else None
    if product is None:
        abort(400)
    chosen = center or coordinating_center(db(), product)
    if chosen is not None and not in_scope(chosen.id):
        form.center.errors = [g._("{center} coordinates this product; you can open rounds only for your own "
                                  "centers: pick one.").format(center=chosen.name(g.locale))]
        return _form_page(form, None), 400
    try:
        created = opening.open_round(db(), product, center, terms_of(form, form.direction.data), utcnow(),
                                     g.member.id, sure=bool(form.sure.data))
    except opening.RoundRefused as exc:
        db().rollback()
        if exc.reason == "price_jump":
            return _form_page(form, None, exc.facts["last"]), 400
        problem = round_refused(form, exc)
        if problem:
            flash(problem, "error")
        return _form_page(form, None), 400
    db().commit()
    flash(g._("Opened round {id}: {product}. Members will be told shortly.").format(
        id=created.id, product=product.name(g.locale)))
    return redirect(url_for("admin.rounds_view", round_id=created.id), 303)


@bp.get("/rounds/<int:round_id>")
@staff_required
def rounds_view(round_id: int) -> str:
    return _view(_round(round_id))


def _view(round_: Round, **posted: Any) -> str:
    """The round's page; a form posted with errors shows in place of its blank one."""
    lines = round_lines(db(), round_.id)
    ahead = forecast(round_, lines) if round_.status == "open" else None
    rows = [(line, ahead.shares[line.id], line.amount_at(ahead.shares[line.id], ahead.price)) if ahead else
            (line, line.final, line.amount) for line in lines]
    arrived_form = posted.get("arrived") or ArrivedForm(formdata=None)
    if "arrived" not in posted:
        _arrival_points(arrived_form, round_, lines)
    offline = posted.get("offline") or OfflineOrderForm(formdata=None)
    offline.district.choices = choices([("", "-"), *((d, d) for d, _english in DISTRICTS)])
    centers = {c.id: c.name(g.locale) for c in db().scalars(select(Center))}
    return render_template(
        "admin/rounds/view.html", round=round_, rows=rows, ahead=ahead, progress=progress(round_),
        tiers=[(Decimal(t["min"]), Decimal(t["price"])) for t in round_.tiers or ()], statuses=STATUS_NAMES,
        rules=RULE_NAMES, centers=centers,
        extend=posted.get("extend") or ExtendForm(formdata=None), arrived=arrived_form, offline=offline,
        action=ConsoleForm())


def _arrival_points(form: ArrivedForm, round_: Round, lines: list[OrderLine]) -> None:
    """The points with members' goods, ticked where the goods have not arrived yet."""
    ids = {line.pickup_center_id for line in lines if line.pickup_center_id}
    done = {p.center_id for p in round_.pickups if p.arrived_at is not None}
    points = list(db().scalars(select(Center).where(Center.id.in_(ids)).order_by(Center.id)))
    offer_points(form, points, dict.fromkeys(ids - done))


@bp.route("/rounds/<int:round_id>/edit", methods=["GET", "POST"])
@staff_required
def rounds_edit(round_id: int) -> Any:
    round_ = _round(round_id)
    if round_.status != "open":
        flash(g._("This round is not open any more: nothing was changed."), "error")
        return redirect(url_for("admin.rounds_view", round_id=round_.id), 303)
    form = TermsForm()
    if request.method == "GET":
        fill(form, round_)
    offer_points(form, _points(), {p.center_id: p.pickup_on for p in round_.pickups})
    if not form.validate_on_submit():
        return _form_page(form, round_), 400 if form.errors else 200
    try:
        opening.edit_round(db(), round_.id, terms_of(form, round_.direction), utcnow(), sure=bool(form.sure.data))
    except opening.RoundRefused as exc:
        db().rollback()
        if exc.reason == "price_jump":
            return _form_page(form, _round(round_id), exc.facts["last"]), 400
        problem = round_refused(form, exc)
        if problem:
            flash(problem, "error")
        return _form_page(form, _round(round_id)), 400
    db().commit()
    flash(g._("Saved the round's terms."))
    return redirect(url_for("admin.rounds_view", round_id=round_.id), 303)


def _back(round_: Round) -> Response:
    return redirect(url_for("admin.rounds_view", round_id=round_.id), 303)


def _drain() -> None:
    """Members' notices go now (as from the CLI), after the commit: no LINE call inside a transaction."""
    current_app.extensions["outbox"].drain()


@bp.post("/rounds/<int:round_id>/close")
@staff_required
def rounds_close(round_id: int) -> Response:
    _, round_ = g._, _round(round_id)
    result = close(db(), round_.id, utcnow(), g.member)
    if not _ended(result) or result is None:
        return _back(round_)
    flash({"closed": _("Closed: {packs} {pack_unit} for {members} members; each member is being told their final "
                       "quantity and amount."),
           "extended": _("Below the minimum: the round is extended until {deadline}; its members are told."),
           "cancelled": _("Below the minimum: the round is cancelled; its members are told.")}[result.outcome].format(
        packs=result.packs, pack_unit=words.unit_word(_, round_.product.pack_unit, result.packs),
        members=result.members,
        deadline=current_app.jinja_env.filters["moment"](round_.closes_at)))
    return _back(round_)


@bp.post("/rounds/<int:round_id>/cancel")
@staff_required
def rounds_cancel(round_id: int) -> Response:
    _, round_ = g._, _round(round_id)
    if _ended(cancel(db(), round_.id, utcnow())):
        flash(_("Cancelled the round; its members are told."))
    return _back(round_)


def _ended(result: Any) -> bool:
    """After closing or cancelling: its members' notices queued and sent; nothing changed (and said so) when the
    round was not open any more."""
    from bot.jobs import rounds as round_jobs  # here: it loads the handlers and the LINE SDK

    if result is None or result.outcome == "not_open":
        db().rollback()
        flash(g._("This round is not open any more: nothing was changed."), "error")
        return False
    round_jobs.queue_notices(db())
    db().commit()
    _drain()
    return True


@bp.post("/rounds/<int:round_id>/extend")
@staff_required
def rounds_extend(round_id: int) -> Any:
    _, round_ = g._, _round(round_id)
    form = ExtendForm()
    if form.validate_on_submit():
        try:
            opening.extend_round(db(), round_.id, deadline(form), utcnow())
        except opening.RoundRefused as exc:
            db().rollback()
            form.closes_on.errors = [_("The new deadline must be later than the current one.")
                                     if exc.reason == "past_deadline" else
                                     _("This round is not open any more: nothing was changed.")]
        else:
            db().commit()
            flash(_("The round now closes {deadline}.").format(
                deadline=current_app.jinja_env.filters["moment"](round_.closes_at)))
            return _back(round_)
    return _view(round_, extend=form), 400

