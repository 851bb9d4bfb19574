"""Members (/admin/members): find a member by name, mobile, district or membership number; their orders and price
alerts; roles and centers given by picking the member (admins); a member's data as a file, or erased on their
request (PDPA), by the same functions as chat ("ขอข้อมูลของฉัน", "ลบข้อมูลของฉัน").

A coordinator finds only the members their centers serve (models.member.serves); anyone else answers 404."""

from __future__ import annotations

import json

from flask import abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy import ColumnElement, false, select
from werkzeug.wrappers import Response
from wtforms import BooleanField, SelectField
from wtforms.validators import DataRequired

from bot.web.admin import labels
from bot.web.admin.auth import admin_required, bp, staff_required
from bot.web.admin.auth import db as _db
from bot.web.admin.forms import N_, ConsoleForm, choices
from models.access import ErasureRefused, copy_of, erase, open_orders
from models.alerts import active_alerts
from models.base import utcnow
from models.member import ROLES, Member, RoleError, search, serves, set_role
from models.network import DISTRICTS, Center
from models.orders import member_lines

ROLE_NAMES = {"member": N_("Member"), "coordinator": N_("Coordinator"), "admin": N_("Admin")}


class RoleForm(ConsoleForm):
    role = SelectField(N_("Role"), choices=choices((role, ROLE_NAMES[role]) for role in ROLES))
    center = SelectField(N_("Coordination center"), coerce=str, choices=[])


class EraseForm(ConsoleForm):
    sure = BooleanField(N_("The member asked to delete their data"),
                        validators=[DataRequired(N_("Tick the box to confirm the member asked for it."))])


def served() -> ColumnElement[bool] | None:
    """The members the signed-in person may see: None for an admin (all), else those their own center serves (a
    district cooperative: its district, sub-district centers' members included). Not every center under it: a
    feed brand's center under a district serves the whole province, which is not the district's to see."""
    if g.scope is None:
        return None
    center = g.member.center
    return serves(center) if center is not None else false()


def member_in_scope(member_id: int) -> Member:
    """The member, or 404 when there is none or the coordinator's centers do not serve them."""
    query = select(Member).where(Member.id == member_id)
    where = served()
    found = _db().scalar(query if where is None else query.where(where))
    if found is None:
        abort(404)
    return found


@bp.get("/members")
@staff_required
def members() -> str:
    words = request.args.get("q", "").strip()[:100]
    district = request.args.get("district", "")
    role = request.args.get("role", "")
    where = served()
    conditions = [c for c in (where,
                              Member.district == district if district in dict(DISTRICTS) else None,
                              Member.role == role if role in ROLES else None) if c is not None]
    found = search(_db(), words, *conditions) if words or conditions else []
    return render_template("admin/members.html", found=found, words=words, district=district, role=role,
                           districts=DISTRICTS, roles=ROLE_NAMES, searched=bool(words or district or role))


@bp.get("/members/<int:member_id>")
@staff_required
def member(member_id: int) -> str:
    found = member_in_scope(member_id)
    form = RoleForm(role=found.role, center=str(found.center_id or ""))
    _choices(form)
    return _page(found, form, EraseForm())


def _choices(form: RoleForm) -> None:
    centers = _db().scalars(select(Center).order_by(Center.level, Center.id))
    form.center.choices = choices([("", "-"), *((str(c.id), c.name(g.locale)) for c in centers)])
    form.role.choices = labels.choices((role, ROLE_NAMES[role]) for role in ROLES)


def _page(found: Member, role_form: RoleForm, erase_form: EraseForm) -> str:
    db = _db()
    return render_template("admin/member.html", member=found, lines=member_lines(db, found.id),
                           alerts=active_alerts(db, found.id), open_orders=open_orders(db, found, utcnow()),
                           role_form=role_form, erase_form=erase_form, roles=ROLE_NAMES, **labels.context())


@bp.post("/members/<int:member_id>/role")
@admin_required
def member_role(member_id: int) -> Response | tuple[str, int]:
    _ = g._
    db = _db()
    found = member_in_scope(member_id)
    form = RoleForm()
    _choices(form)
    if form.validate():
        center = db.get(Center, int(form.center.data)) if form.center.data else None
        try:
            set_role(found, form.role.data or "", center, g.member)
        except RoleError as refused:
            problem = {"needs_center": N_("A coordinator needs a center."),
                       "own_admin": N_("You cannot remove your own admin role.")}.get(refused.reason,
                                                                                      N_("Not a valid choice."))
            (form.center if refused.reason == "needs_center" else form.role).errors.append(problem)
        else:
            db.commit()
            flash(_("{who} is now {role}.").format(who=found.name or found.display_name or found.line_user_id,
                                                   role=_(ROLE_NAMES[found.role])))
            return redirect(url_for("admin.member", member_id=found.id), 303)
    db.rollback()
    return _page(found, form, EraseForm()), 400


@bp.get("/members/<int:member_id>/data.json")
@staff_required
def member_export(member_id: int) -> Response:
    """A member's right of access: all the bot keeps about them, as a JSON file."""
    found = member_in_scope(member_id)
    body = json.dumps(copy_of(_db(), found), ensure_ascii=False, indent=2, default=str)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": f"attachment; filename=member-{found.id}.json"})


@bp.post("/members/<int:member_id>/erase")
@staff_required
def member_erase(member_id: int) -> Response | tuple[str, int]:
    """A member's right to erasure, asked at the office: the chat's "delete my data", done by staff."""
    _ = g._
    db = _db()
    found = member_in_scope(member_id)
    form = EraseForm()
    if not form.validate():
        role_form = RoleForm(role=found.role, center=str(found.center_id or ""))
        _choices(role_form)
        return _page(found, role_form, form), 400
    try:
        cancelled = erase(db, found, utcnow(), g.member)
    except ErasureRefused:
        flash(_("Make them a member again before deleting a coordinator's or an admin's data."), "error")
        return redirect(url_for("admin.member", member_id=found.id), 303)
    db.commit()
    done = _("The member's personal data is deleted.")
    if cancelled:
        done += " " + _("Their orders in open rounds are cancelled ({n}).").format(n=len(cancelled))
    flash(done)
    return redirect(url_for("admin.members"), 303)  # without a district, a coordinator no longer sees them
