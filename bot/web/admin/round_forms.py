"""The rounds page's forms, and how the domain's refusals land beside the field they are about.

The rules themselves live in models.opening, models.offline and models.orders: a form only reads what was typed
(numbers, dates, choices) and hands it over."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from flask import g
from wtforms import Form, FormField
from wtforms.fields import (
    BooleanField,
    DateField,
    DecimalField,
    FieldList,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from bot.web import words
from bot.web.admin.forms import N_, ConsoleForm, choices
from models.base import BANGKOK
from models.opening import RoundRefused, Terms
from models.orders import OrderRefused
from models.rounds import CLOSING_TIME, Round

REQUIRED = N_("This field is required.")
POSITIVE = N_("Must be more than 0.")


class TierForm(Form):
    min = DecimalField(N_("From a total of"), validators=[Optional(), NumberRange(min=0, message=POSITIVE)])
    price = DecimalField(N_("Price per unit"), validators=[Optional(), NumberRange(min=0, message=POSITIVE)])


class PickupForm(Form):
    center_id = HiddenField()
    chosen = BooleanField()
    day = DateField(N_("Pickup date"), validators=[Optional()])


class TermsForm(ConsoleForm):
    """What can change while a round is open."""

    price = DecimalField(N_("Price per unit (baht)"), validators=[InputRequired(REQUIRED)], places=2)
    closes_on = DateField(N_("Closes on"), validators=[InputRequired(REQUIRED)])
    closes_time = TimeField(N_("at"), default=CLOSING_TIME, validators=[Optional()])
    min_total = DecimalField(N_("Minimum for the round to go ahead"), validators=[Optional()])
    max_total = DecimalField(N_("Maximum, or the stock on hand"), validators=[Optional()])
    tiers = FieldList(FormField(TierForm), min_entries=3, max_entries=6)
    shortfall_rule = SelectField(N_("When the last pack is not full"), choices=choices([
        ("fcfs", N_("The latest orders get less")),
        ("round_up", N_("Members who agreed take more to fill it")),
    ]))
    below_minimum = SelectField(N_("Below the minimum at the deadline"), choices=choices([
        ("cancel", N_("Cancel the round")),
        ("extend", N_("Extend it once")),
    ]))
    extend_days = IntegerField(N_("Days to extend by"), default=3,
                               validators=[InputRequired(REQUIRED), NumberRange(1, 30, N_("From 1 to 30 days."))])
    pickup_on = DateField(N_("Pickup date at the cooperatives"), validators=[Optional()])
    pickups = FieldList(FormField(PickupForm), max_entries=100)
    note = StringField(N_("Note for members"), validators=[Optional()])
    sure = BooleanField(N_("Yes, the price is right"))  # asked when it is far from the last round's, or its own


class RoundForm(TermsForm):
    product = SelectField(N_("Product"), coerce=int, validators=[InputRequired(REQUIRED)])
    center = SelectField(N_("Coordinating center"), coerce=int)
    direction = SelectField(N_("Kind of round"), choices=choices([
        ("buy", N_("Buying together")), ("sell", N_("Selling together"))]))


class ExtendForm(ConsoleForm):
    closes_on = DateField(N_("New deadline"), validators=[InputRequired(REQUIRED)])
    closes_time = TimeField(N_("at"), default=CLOSING_TIME, validators=[Optional()])


class ArrivedForm(ConsoleForm):
    points = FieldList(FormField(PickupForm), max_entries=100)
    until = DateField(N_("Members may collect until"), validators=[Optional()])


class OfflineOrderForm(ConsoleForm):
    name = StringField(N_("Member's full name"))
    phone = StringField(N_("Mobile number"), validators=[DataRequired(REQUIRED)])
    district = SelectField(N_("District"), validators=[Optional()])
    quantity = DecimalField(N_("Quantity"), validators=[InputRequired(REQUIRED)])


def deadline(form: TermsForm | ExtendForm) -> datetime:
    return datetime.combine(form.closes_on.data, form.closes_time.data or CLOSING_TIME, BANGKOK)


def terms_of(form: TermsForm, direction: str) -> Terms:
    tiers = [(tier.min.data, tier.price.data) for tier in form.tiers
             if tier.min.data is not None or tier.price.data is not None]
    return Terms(price=form.price.data, closes_at=deadline(form), min_total=form.min_total.data,
                 max_total=form.max_total.data,
                 tiers=[(low or Decimal(0), price or Decimal(0)) for low, price in tiers],
                 shortfall_rule=form.shortfall_rule.data, below_minimum=form.below_minimum.data,
                 extend_days=form.extend_days.data, pickup_on=form.pickup_on.data,
                 pickups=[(int(p.center_id.data), p.day.data) for p in form.pickups if p.chosen.data and
                          str(p.center_id.data).isdigit()],
                 direction=direction, note=(form.note.data or "").strip() or None)


def fill(form: TermsForm, round_: Round) -> None:
    """The form showing a round's terms as they stand (to edit them)."""
    local = round_.closes_at.astimezone(BANGKOK)
    form.price.data, form.closes_on.data, form.closes_time.data = round_.price, local.date(), local.time()
    form.min_total.data, form.max_total.data = round_.min_total, round_.max_total
    for entry, tier in zip(form.tiers, round_.tiers or (), strict=False):
        entry.min.data, entry.price.data = Decimal(tier["min"]), Decimal(tier["price"])
    form.shortfall_rule.data, form.below_minimum.data = round_.shortfall_rule, round_.below_minimum
    form.extend_days.data, form.pickup_on.data, form.note.data = round_.extend_days, round_.pickup_on, round_.note


def offer_points(form: TermsForm | ArrivedForm, points: list[Any], chosen: dict[int, Any]) -> None:
    """One row per pickup point (a center), ticked and dated as `chosen` says, unless the form was posted."""
    field = form.pickups if isinstance(form, TermsForm) else form.points
    if field.entries and any(entry.center_id.data for entry in field):
        return
    while field.entries:
        field.pop_entry()
    for center in points:
        field.append_entry({"center_id": center.id, "chosen": center.id in chosen, "day": chosen.get(center.id)})


def round_refused(form: TermsForm, exc: RoundRefused) -> str | None:
    """The refusal beside its field; returns a message for the whole form when no field fits."""
    _ = g._
    by_field: dict[str, tuple[Any, str]] = {
        "bad_price": (form.price, _("The price must be more than 0.")),
        "past_deadline": (form.closes_on, _("The deadline must be in the future.")),
        "bad_minimum": (form.min_total, _(POSITIVE)),
        "bad_maximum": (form.max_total, _(POSITIVE)),
        "min_above_max": (form.min_total, _("The minimum cannot be more than the maximum.")),
        "bad_tier": (form.tiers, _("Each tier needs a total above 0 and a better price than the round's: lower "
                                   "when buying, higher when selling.")),
        "bad_rule": (form.shortfall_rule, _("Not a valid choice.")),
        "bad_pickup": (form.pickups, _("Unknown pickup point.")),
    }
    if exc.reason == "below_total":
        by_field["below_total"] = (form.max_total, _(
            "The maximum cannot be below what members have already ordered ({total}).").format(
            total=words.fmt.quantity(exc.facts["total"])))
    if exc.reason in by_field:
        field, message = by_field[exc.reason]
        field.errors = [*field.errors, message] if isinstance(field.errors, list) else [message]
        return None
    if exc.reason == "already_open":
        running: Round = exc.facts["round"]
        message = _("{product} already has an open round at {center}, until {deadline}: close it first.").format(
            product=running.product.name(g.locale), center=running.center.name(g.locale),
            deadline=words.fmt.moment(running.closes_at.astimezone(BANGKOK), g.locale))
        if isinstance(form, RoundForm):
            form.product.errors = [message]
            return None
        return message
    if exc.reason == "no_center" and isinstance(form, RoundForm):
        form.center.errors = [_("No center coordinates this product: pick one.")]
        return None
    return _("This round is not open any more: nothing was changed.")


def order_refused(form: OfflineOrderForm, exc: OrderRefused, round_: Round) -> str | None:
    """A refused order beside its field (nothing was changed); a message for the form when no field fits."""
    _, unit = g._, round_.product.unit
    messages = {
        "bad_phone": (form.phone, _("Not a Thai mobile number like 0812345678.")),
        "no_name": (form.name, _("A new member needs their full name.")),
        "name_mismatch": (form.name, _("This mobile number is another member's: check the number, or type the "
                                       "name they registered with.")),
        "bad_district": (form.district, _("Not a valid choice.")),
        "not_positive": (form.quantity, _("The quantity must be 1 or more.")),
        "not_whole": (form.quantity, _("Whole {units} only.").format(units=words.unit_word(_, unit))),
    }
    if exc.reason == "too_much":
        messages["too_much"] = (form.quantity, _("At most {limit} for one member in a round.").format(
            limit=words.units_of(_, exc.facts["limit"], unit)))
    if exc.reason == "full":
        messages["full"] = (form.quantity, _("Only {left} left in this round.").format(
            left=words.units_of(_, exc.facts["remaining"], unit)))
    if exc.reason in messages:
        field, message = messages[exc.reason]
        field.errors = [message]
        return None
    return _("This round is not open any more: nothing was changed.")
