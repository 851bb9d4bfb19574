"""Signing in to the web console: single-use links, server-side sessions, and the headers of every page.

`coopbot admin link` stores a random token's hash and prints `…/admin/login#TOKEN`. Browsers never send
the part after `#`, so no access log, proxy or Referer sees the token: the page's script copies it into a
form (without JavaScript the admin pastes it), and the button POSTs it. Spending it is one conditional
UPDATE (models.web_sessions), so a link signs in once, for 15 minutes. The signed cookie carries only a
session id; the row behind it is checked on every request and deleted at sign-out.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Flask, abort, current_app, g, redirect, render_template, request, session, url_for
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from bot.i18n import translator
from bot.settings import Settings
from models.base import utcnow
from models.member import Member
from models.web_sessions import close_session, consume_link, find_session, issue_link, open_session

log = logging.getLogger(__name__)
bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates", static_folder="static")
SERVED_URL_FILE = "served_url"
PAGE_HEADERS = {
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'; script-src 'self'; object-src 'none'; base-uri 'none'; "
                               "form-action 'self'",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
}


def db() -> Session:
    if "db" not in g:
        g.db = current_app.extensions["sessions"]()
    return g.db


def login_link(app: Flask, member: Member, base_url: str | None = None) -> str:
    """A new single-use sign-in link for the member, valid 15 minutes. It writes in a transaction of its own:
    call it with no other write transaction open (on SQLite that one would hold the lock)."""
    with app.extensions["sessions"]() as session_, session_.begin():
        token = issue_link(session_, member.id, utcnow())
    return f"{base_url or app.config['SETTINGS'].public_base_url}/admin/login#{token}"


def record_served_url(settings: Settings, url: str) -> None:
    """`coopbot serve` notes where it can be reached, for `coopbot admin link` to print."""
    path = settings.instance / SERVED_URL_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(url + "\n")
    except OSError as exc:  # a read-only disk: serve anyway; `admin link` falls back to PUBLIC_BASE_URL
        log.warning("could not note the served address in %s: %s", path, exc)


def console_base_url(settings: Settings) -> str:
    """PUBLIC_BASE_URL when it is set; else where `coopbot serve` last served; else the default address."""
    if settings.public_base_url_set:
        return settings.public_base_url
    try:
        recorded = (settings.instance / SERVED_URL_FILE).read_text().strip()
    except OSError:
        return settings.public_base_url
    return recorded if urlsplit(recorded).scheme in ("http", "https") else settings.public_base_url


def admin_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Only a signed-in admin whose session row still lives; a form also needs that session's CSRF token."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        found = find_session(db(), str(session.get("sid", "")), utcnow()) if session.get("sid") else None
        member = db().get(Member, found.member_id) if found else None
        db().commit()  # a lapsed session's row is gone, a live one's idle clock restarted
        if found is None or member is None or member.role != "admin":
            session.clear()
            return render_template("admin/signed_out.html"), 401
        g.admin, g.csrf = member, found.csrf
        g._ = translator(member.locale)
        if request.method == "POST" and not secrets.compare_digest(request.form.get("csrf", ""), found.csrf):
            abort(400)
        return view(*args, **kwargs)

    return wrapped


@bp.get("/login")
def login_page() -> str:
    return render_template("admin/login.html", login_csrf=_login_csrf())


def _login_csrf() -> str:
    # In the cookie, not the page alone: a sign-in POSTed from another site (without the cookie) is refused.
    if "login_csrf" not in session:
        session["login_csrf"] = secrets.token_urlsafe(24)
    return str(session["login_csrf"])


@bp.post("/login")
def login() -> Any:
    _ = translator("th")
    expected = session.get("login_csrf")
    if not expected or not secrets.compare_digest(request.form.get("csrf", ""), str(expected)):
        problem = _("Your browser must keep this site's cookie to sign in. Open the link again and press Sign in.")
        return render_template("admin/login.html", login_csrf=_login_csrf(), problem=problem), 400
    token = request.form.get("token", "").strip().rpartition("#")[2]  # the code, or the whole link pasted
    if not token:
        return render_template("admin/login.html", login_csrf=_login_csrf(),
                               problem=_("Paste the part of the link after # into the box.")), 400
    spent = consume_link(db(), token, utcnow())
    member = db().get(Member, spent.member_id) if spent.member_id else None
    if spent.outcome != "ok" or member is None or member.role != "admin":
        db().commit()  # a link is spent even when it was not an admin's
        problems = {"used": _("This sign-in link has already been used."),
                    "expired": _("This sign-in link has expired."),
                    "unknown": _("This sign-in link is not valid.")}
        status = 403 if spent.outcome == "ok" else 404 if spent.outcome == "unknown" else 401
        log.info("admin sign-in refused: %s", spent.outcome if spent.outcome != "ok" else "not an admin")
        return render_template("admin/signed_out.html",
                               problem=problems.get(spent.outcome, _("Only an admin can sign in here."))), status
    if session.get("sid"):
        close_session(db(), str(session["sid"]))
    opened = open_session(db(), member.id, utcnow())
    db().commit()
    session.clear()
    session["sid"] = opened.session_id
    log.info("admin sign-in: member %s", member.id)
    return redirect(url_for("admin.index"), 303)


@bp.post("/logout")
@admin_required
def logout() -> Response:
    close_session(db(), str(session["sid"]))
    db().commit()
    session.clear()
    return redirect(url_for("admin.index"), 303)


def _page_headers(response: Response) -> Response:
    if request.path == "/admin" or request.path.startswith("/admin/"):
        for name, value in PAGE_HEADERS.items():
            response.headers[name] = value
    return response


def init_auth(app: Flask) -> None:
    settings: Settings = app.config["SETTINGS"]
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                      SESSION_COOKIE_SECURE=settings.public_base_url.startswith("https://"))
    app.after_request(_page_headers)

    @app.teardown_appcontext
    def close_db(_exc: BaseException | None) -> None:
        found = g.pop("db", None)
        if found is not None:
            found.close()
