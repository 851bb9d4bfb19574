"""The channel page (admins only): the LINE channel (secret, access token, webhook URL) and who runs the network.
Secrets are stored encrypted and never shown back. Roles are given on a member's page (/admin/members), centers'
phones, addresses and hours on /admin/catalog, a member's data from their page: one place each."""

from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from bot.line import LineError
from bot.line.channel import SECRET, TOKEN
from bot.web.admin.auth import admin_required, bp
from bot.web.admin.auth import db as _db
from bot.web.webhook import PATH as WEBHOOK_PATH
from models.member import Member


@bp.get("/channel")
@admin_required
def channel() -> str:
    channel = current_app.extensions["channel"]
    settings = current_app.config["SETTINGS"]
    _ = g._
    where = {"environment": _("from an environment variable"), "stored": _("saved here"), "": ""}
    status = {
        "secret": where["environment" if settings.line_channel_secret else (
            "stored" if channel.stored(SECRET) else "")],
        "token": where["environment" if settings.line_channel_access_token else (
            "stored" if channel.stored(TOKEN) else "")],
    }
    staff = _db().scalars(select(Member).where(Member.role != "member").order_by(Member.role, Member.id)).all()
    return render_template(
        "admin/channel.html", status=status, webhook_url=f"{settings.public_base_url}{WEBHOOK_PATH}", staff=staff,
        names=_names(),
    )


def _names() -> dict[str, str]:
    """Roles and center levels as the admin reads them."""
    _ = g._
    return {"member": _("Member"), "coordinator": _("Coordinator"), "admin": _("Admin")}


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
    url = f"{current_app.config['SETTINGS'].public_base_url}{WEBHOOK_PATH}"
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
