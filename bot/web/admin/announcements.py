"""Announcements (/admin/announcements): the composer on the web. The audience is what a center serves, narrowed
to districts, a network, an interest, a round's members or the members with price alerts; its size and cost
against this month's LINE quota come live from /admin/announcements/audience.json (the page's own script, or the
"Count" button without one). Now, at a time, or repeating by a cron rule; a meeting with its place, whose replies
are listed by name; an image. The clock sends it through the outbox; its page shows delivered / held / failed.

The rules are models.announce's, as `coopbot announce` uses them; a coordinator addresses only members their
centers serve (the centers in their scope), and sees only their centers' announcements (others: 404)."""

from __future__ import annotations

from datetime import datetime

from flask import flash, g, jsonify, redirect, render_template, request, url_for
from flask_wtf.file import FileField
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Optional

from bot.web import words
from bot.web.admin import labels
from bot.web.admin.auth import bp, get_in_scope, in_scope, scoped, staff_required
from bot.web.admin.auth import db as _db
from bot.web.admin.forms import N_, ConsoleForm, choices
from models.announce import TEXT_LIMIT, AnnouncementRefused, Draft, cancel, cost, create, reach
from models.announcements import INTERESTS, NETWORKS, Announcement, replies
from models.base import BANGKOK, utcnow
from models.network import DISTRICTS, Center
from models.outbox import last_quota
from models.rounds import Round

LISTED = 50
REPEATS = (("0 7 * * mon", N_("Mondays 07:00")), ("0 7 1 * *", N_("The 1st of each month, 07:00")),
           ("0 7 * * *", N_("Every day 07:00")))
PROBLEMS = {
    ("body", "empty"): N_("Type the announcement."),
    ("body", "too_long"): N_("The text has {length} characters; LINE takes at most {limit}."),
    ("body_en", "too_long"): N_("The text has {length} characters; LINE takes at most {limit}."),
    ("districts", "unknown"): N_("Not a valid choice."),
    ("at", "past"): N_("This time has passed: choose a time to come."),
    ("every", "never_fires"): N_("This rule never fires. Five fields: minute hour day month weekday, e.g. "
                                 "0 7 * * mon for Mondays 07:00."),
    ("meeting_at", "before_sending"): N_("The meeting would be over before the announcement goes out."),
    ("meeting_at", "missing"): N_("A meeting needs its time."),
    ("place", "missing"): N_("A meeting needs its place."),
    ("place", "too_long"): N_("At most {limit} characters."),
    ("image", "too_big"): N_("The image has {size} bytes; LINE takes at most {limit}."),
    ("image", "not_an_image"): N_("Only a JPEG or PNG image, the kinds LINE shows."),
    ("round", "unknown"): N_("Not a valid choice."),
    ("audience", "nobody"): N_("Nobody would get it: no registered member fits this audience."),
}
FIELDS = {"meeting": "meeting_at"}  # models.announce's names where the form's differ


class ComposeForm(ConsoleForm):
    center = SelectField(N_("From"), choices=[])
    districts = SelectMultipleField(N_("Only these districts"), choices=[],
                                    invalid_choice_message=N_("Not a valid choice."))
    network = SelectField(N_("Only a network's members"), choices=[], default="")
    interest = SelectField(N_("Only those who raise or grow"), choices=[], default="")
    round = SelectField(N_("Only the members of a round"), choices=[], default="")
    with_alerts = BooleanField(N_("Only members with price alerts"))
    body = TextAreaField(N_("Announcement"))
    body_en = TextAreaField(N_("The same in English, for members who read English (optional)"))
    when = RadioField(N_("When"), default="now",
                      choices=choices([("now", N_("Now")), ("at", N_("At a time")), ("every", N_("Repeating"))]))
    at = DateTimeLocalField(N_("Date and time (Thai time)"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    every = StringField(N_("Repeat rule (cron)"), validators=[Optional()])
    meeting_at = DateTimeLocalField(N_("Meeting date and time"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    place = StringField(N_("Meeting place"), validators=[Optional()])
    image = FileField(N_("Image (JPEG or PNG)"))


class CancelForm(ConsoleForm):
    pass


def speaks_for() -> list[Center]:
    """The centers the signed-in person announces or posts prices for: an admin any; a coordinator their own and
    the centers under it, but not a feed brand's center that sits under their district (it serves the province)."""
    centers = _db().scalars(select(Center).order_by(Center.level, Center.id))
    return [c for c in centers if in_scope(c.id) and (g.scope is None or c.id == g.member.center_id or c.brand is None)]


def _form(form: ComposeForm | None = None) -> ComposeForm:
    form = form or ComposeForm(center=str(g.member.center_id or ""))
    form.center.choices = choices((str(c.id), c.name(g.locale)) for c in speaks_for())
    form.districts.choices = choices((thai, english if g.locale == "en" else thai) for thai, english in DISTRICTS)
    form.network.choices = labels.choices([("", N_("Any")), *((n, labels.NETWORKS[n]) for n in NETWORKS)])
    form.interest.choices = labels.choices([("", N_("Any")), *((i, labels.INTERESTS[i]) for i in INTERESTS)])
    rounds = _db().scalars(scoped(select(Round), Round.center_id).where(Round.status != "cancelled")
                           .order_by(Round.id.desc()).limit(LISTED))
    form.round.choices = choices([("", g._("Any")), *((str(r.id), f"{r.id} · {r.product.name(g.locale)}")
                                                    for r in rounds)])
    return form


def _local(value: datetime | None) -> datetime | None:
    """A time typed in the browser, taken as Thai time."""
    return value.replace(tzinfo=BANGKOK) if value is not None and value.tzinfo is None else value


def _draft(form: ComposeForm, image: bytes | None = None) -> Draft:
    center = _db().get(Center, int(form.center.data or 0))
    assert center is not None  # one of the choices: the centers in scope
    return Draft(
        center=center, body=form.body.data or "", body_en=form.body_en.data or None,
        author_id=g.member.id, districts=list(form.districts.data or []),
        network=form.network.data or None, interest=form.interest.data or None,
        round_id=int(form.round.data) if form.round.data else None, with_alerts=bool(form.with_alerts.data),
        at=_local(form.at.data) if form.when.data in ("at", "every") else None,
        every=(form.every.data or "").strip() or None if form.when.data == "every" else None,
        meeting_at=_local(form.meeting_at.data), place=form.place.data, image=image)


@bp.get("/announcements")
@staff_required
def announcements() -> str:
    return _page(_form())


def _page(form: ComposeForm, problem: str | None = None) -> str:
    listed = list(_db().scalars(scoped(select(Announcement), Announcement.center_id)
                                .order_by(Announcement.send_at.desc(), Announcement.id.desc()).limit(LISTED)))
    return render_template("admin/announcements.html", form=form, listed=listed, problem=problem,
                           repeats=REPEATS, limit=TEXT_LIMIT, **labels.context())


@bp.post("/announcements")
@staff_required
def announcements_create() -> Response | tuple[str, int]:
    _ = g._
    db = _db()
    form = _form(ComposeForm())
    if not form.validate():
        return _page(form), 400
    if form.when.data == "at" and form.at.data is None:
        form.at.errors.append(N_("Choose the date and time."))
        return _page(form), 400
    if form.when.data == "every" and not (form.every.data or "").strip():
        form.every.errors.append(N_("Choose or type a repeat rule."))
        return _page(form), 400
    image = form.image.data.read() if form.image.data else None
    try:
        announcement, members = create(db, _draft(form, image or None), utcnow())
    except AnnouncementRefused as refused:
        db.rollback()
        message = _(PROBLEMS[(FIELDS.get(refused.field, refused.field), refused.reason)]).format(**{
            key: f"{value:,}" if isinstance(value, int) else value for key, value in refused.details.items()})
        if refused.field == "audience":
            return _page(form, message), 400
        getattr(form, FIELDS.get(refused.field, refused.field)).errors.append(message)
        return _page(form), 400
    db.commit()
    flash(_("Announcement {id} is scheduled for {when}: {n} members, {cost} messages.").format(
        id=announcement.id, when=_when(announcement.send_at), n=f"{len(members):,}",
        cost=f"{cost(len(members), image is not None):,}"))
    return redirect(url_for("admin.announcement", announcement_id=announcement.id), 303)


def _when(moment: datetime) -> str:
    return words.fmt.moment(moment.astimezone(BANGKOK), g.locale)


@bp.get("/announcements/audience.json")
@staff_required
def announcements_audience() -> Response | tuple[Response, int]:
    """The audience's size and cost for the composer, before anything is sent."""
    _ = g._
    form = _form(ComposeForm(formdata=request.args, meta={"csrf": False}))
    if not form.center.data or not form.validate():
        return jsonify({"problem": _("Choose who it is from.")}), 400
    try:
        members = len(reach(_db(), _draft(form)))
    except AnnouncementRefused:
        return jsonify({"problem": _("Not a valid choice.")}), 400
    messages = cost(members, request.args.get("image") == "1")
    left = last_quota(_db())
    summary = _("{n} members, {cost} messages.").format(n=f"{members:,}", cost=f"{messages:,}") + " " + (
        _("This month's LINE quota left: not known yet.") if left is None else
        _("This month's LINE quota left: {left}.").format(left=f"{left:,}"))
    if left is not None and messages > left:
        summary += " " + _("More than the quota left: the rest waits for next month.")
    return jsonify({"members": members, "messages": messages, "quota_left": left, "summary": summary})


@bp.get("/announcements/<int:announcement_id>")
@staff_required
def announcement(announcement_id: int) -> str:
    item = get_in_scope(Announcement, announcement_id, lambda a: a.center_id)
    going, not_going = replies(_db(), item.id) if item.meeting_at is not None else ([], [])
    return render_template("admin/announcement.html", item=item, going=going, not_going=not_going, why=_held(item),
                           cancel_form=CancelForm(), **labels.context())


def _held(item: Announcement) -> str:
    """Why some wait, as the chat's report to the author says it."""
    _ = g._
    if not item.held:
        return ""
    if item.held_reason and "monthly" in item.held_reason:
        return _("This month's LINE messages are used up; the rest go next month, or sooner if more are bought.")
    if item.held_until:
        return _("LINE asked us to wait; trying again at {when}.").format(when=_when(item.held_until))
    return _("Being sent now.")


@bp.post("/announcements/<int:announcement_id>/cancel")
@staff_required
def announcement_cancel(announcement_id: int) -> Response:
    _ = g._
    db = _db()
    item = get_in_scope(Announcement, announcement_id, lambda a: a.center_id)
    if CancelForm().validate():
        try:
            cancel(db, item.id)
        except AnnouncementRefused as refused:
            db.rollback()
            flash(_("Announcement {id} is {status}: only one not sent yet can be cancelled.").format(
                id=item.id, status=_(labels.ANNOUNCEMENT_STATUSES[refused.details["status"]])), "error")
        else:
            db.commit()
            flash(_("Announcement {id} is cancelled.").format(id=item.id))
    return redirect(url_for("admin.announcement", announcement_id=item.id), 303)
