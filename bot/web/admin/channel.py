"""The channel page (admins only): the LINE channel (secret, access token, webhook URL), the centers' phones and
who runs them, a member's data. Secrets are stored encrypted and never shown back."""

from __future__ import annotations

import json

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from bot.line import LineError
from bot.line.channel import SECRET, TOKEN
from bot.web.admin.auth import admin_required, bp
from bot.web.admin.auth import db as _db
from models.access import copy_of
from models.member import ROLES, Member, member_by_line_id, normalize_mobile
from models.network import Center


@bp.get("/channel")
@admin_required
def channel() -> str:
    channel = current_app.extensions["channel"]
    settings = current_app.config["SETTINGS"]
    status = {
        "secret": "environment" if settings.line_channel_secret else ("stored" if channel.stored(SECRET) else ""),
        "token": "environment" if settings.line_channel_access_token else ("stored" if channel.stored(TOKEN) else ""),
    }
    centers = _db().scalars(select(Center).order_by(Center.level, Center.id)).all()
    staff = _db().scalars(select(Member).where(Member.role != "member").order_by(Member.role, Member.id)).all()
    return render_template(
        "admin/channel.html", status=status, webhook_url=f"{settings.public_base_url}/callback", centers=centers,
        staff=staff, roles=ROLES, names=_names(),
    )


def _names() -> dict[str, str]:
    """Roles and center levels as the admin reads them."""
    _ = g._
    return {"member": _("Member"), "coordinator": _("Coordinator"), "admin": _("Admin"),
            "province": _("Province"), "district": _("District"), "subdistrict": _("Sub-district")}


@bp.post("/channel")
@admin_required
def save_channel() -> Response:
    _ = g._
    channel = current_app.extensions["channel"]
    db = _db()
    saved = []
    for field, name in (("secret", SECRET), ("token", TOKEN)):
        value = request.form.get(field, "").strip()
        if value:
            channel.store(db, name, value)
            saved.append(field)
    db.commit()
    flash(_("Saved: {fields}").format(fields=", ".join(saved)) if saved else _("Nothing new to save."))
    return redirect(url_for("admin.channel"))


@bp.post("/webhook")
@admin_required
def set_webhook() -> Response:
    _ = g._
    url = f"{current_app.config['SETTINGS'].public_base_url}/callback"
    line = current_app.extensions["line"]
    try:
        line.set_webhook(url)
        result = line.test_webhook(url)
    except LineError as exc:
        flash(_("LINE refused: {error}").format(error=exc))
    else:
        flash((_("Webhook set to {url}; LINE's test succeeded.") if result else
               _("Webhook set to {url}, but LINE's test failed.")).format(url=url))
    return redirect(url_for("admin.channel"))


@bp.post("/centers/<int:center_id>")
@admin_required
def save_center(center_id: int) -> Response:
    _ = g._
    db = _db()
    center = db.get(Center, center_id) or abort(404)
    phone = request.form.get("phone", "").strip()
    if phone and not normalize_mobile(phone) and not phone.replace("-", "").replace(" ", "").isdigit():
        flash(_("The phone number of {center} is not valid: {phone}").format(center=center.name_th, phone=phone))
        return redirect(url_for("admin.channel"))
    center.phone = phone or None
    center.address = request.form.get("address", "").strip() or None
    db.commit()
    flash(_("Saved {center}.").format(center=center.name_th))
    return redirect(url_for("admin.channel"))


@bp.post("/roles")
@admin_required
def save_role() -> Response:
    _ = g._
    db = _db()
    member = member_by_line_id(db, request.form.get("line_user_id", "").strip())
    role = request.form.get("role", "")
    center = db.scalar(select(Center).where(Center.code == request.form.get("center", "")))
    if member is None:
        flash(_("No member has this LINE user id (they must add the bot as a friend first)."))
    elif role not in ROLES:
        flash(_("Unknown role."))
    elif role == "coordinator" and center is None:
        flash(_("A coordinator needs a center."))
    elif member.id == g.member.id and role != "admin":
        flash(_("You cannot remove your own admin role."))
    else:
        member.role, member.center_id = role, center.id if center and role == "coordinator" else None
        db.commit()
        who = member.name or member.display_name or member.line_user_id
        flash(_("{who} is now {role}.").format(who=who, role=_names()[role]))
    return redirect(url_for("admin.channel"))


@bp.get("/members/data")
@admin_required
def member_data() -> Response:
    """A member's right of access: all the bot keeps about them, as a JSON file, found by LINE user id or mobile."""
    _ = g._
    db = _db()
    who = request.args.get("who", "").strip()
    mobile = normalize_mobile(who) if who else None
    member = member_by_line_id(db, who) if who else None
    if member is None and mobile:
        member = db.scalar(select(Member).where(Member.phone == mobile))
    if member is None:
        flash(_("No member has this LINE user id or mobile number."))
        return redirect(url_for("admin.channel"))
    body = json.dumps(copy_of(db, member), ensure_ascii=False, indent=2, default=str)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": f"attachment; filename=member-{member.id}.json"})
