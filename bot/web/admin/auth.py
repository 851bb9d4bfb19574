"""Signing in to the staff console: single-use links, server-side sessions, who may see what, and the headers
of every page.

`coopbot admin link` stores a random token's hash and prints `…/admin/login#TOKEN`, for an admin or a
coordinator. Browsers never send the part after `#`, so no access log, proxy or Referer sees the token: the
page's script copies it into a form (without JavaScript the person pastes it), and the button POSTs it with
the form's CSRF token (Flask-WTF, kept in the session cookie: a form posted from another site has none).
Spending the link is one conditional UPDATE (models.web_sessions), so a link signs in once, for 15 minutes.
The signed cookie carries only a session id; the row behind it is checked on every request and deleted at
sign-out.

A view says who may use it: `staff_required` (admins and coordinators) or `admin_required`. Both set
`g.member`, `g._` (the console's language) and `g.scope`: None for an admin (everything), else the ids of the
coordinator's center and the centers under it. What lies outside the scope answers 404, as if it did not
exist (`in_scope`, `scoped`, `get_in_scope`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError
from sqlalchemy import Select
from sqlalchemy.orm import InstrumentedAttribute, Session
from werkzeug.wrappers import Response
from wtforms import StringField

from bot.i18n import translator
from bot.settings import Settings
from models.base import utcnow
from models.member import LANGUAGES, Member
from models.network import center_and_below
from models.web_sessions import close_session, consume_link, find_session, issue_link, open_session

log = logging.getLogger(__name__)
bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates", static_folder="static")
SERVED_URL_FILE = "served_url"
STAFF = ("admin", "coordinator")
LANGUAGE_KEY = "lang"
PAGE_HEADERS = {
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'; script-src 'self'; object-src 'none'; base-uri 'none'; "
                               "form-action 'self'",
    "Cache-Control": "no-store",
    # same-origin, not no-referrer: over https Flask-WTF checks that a form was posted from this site's own pages
    # (the sign-in token is after '#', which no Referer ever carries)
    "Referrer-Policy": "same-origin",
}
T = TypeVar("T")


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


def may_sign_in(member: Member | None) -> bool:
    """Admins, and coordinators linked to a center."""
    return member is not None and (member.role == "admin" or (member.role == "coordinator" and
                                                              member.center_id is not None))


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


def console_locale(member: Member | None = None) -> str:
    """The language chosen with the page's switch, else the member's, else Thai."""
    chosen = session.get(LANGUAGE_KEY)
    if chosen in LANGUAGES:
        return str(chosen)
    return member.locale if member is not None else "th"


def _signed_in() -> Member | None:
    found = find_session(db(), str(session.get("sid", "")), utcnow()) if session.get("sid") else None
    member = db().get(Member, found.member_id) if found else None
    db().commit()  # a lapsed session's row is gone, a live one's idle clock restarted
    return member if may_sign_in(member) else None


def _guard(view: Callable[..., Any], admins_only: bool) -> Callable[..., Any]:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        member = _signed_in()
        if member is None:
            language = session.get(LANGUAGE_KEY)
            session.clear()
            if language:
                session[LANGUAGE_KEY] = language
            g._ = translator(console_locale())
            return render_template("admin/signed_out.html"), 401
        g.member = g.admin = member
        g.locale = console_locale(member)
        g._ = translator(g.locale)
        g.scope = None if member.role == "admin" else center_and_below(db(), member.center_id or 0)
        if admins_only and member.role != "admin":
            abort(404)  # a coordinator is not told what is there
        return view(*args, **kwargs)

    return wrapped


def staff_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """A signed-in admin or coordinator whose session row still lives (forms: CSRFProtect checks the token)."""
    return _guard(view, admins_only=False)


def admin_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """A signed-in admin; a coordinator gets 404."""
    return _guard(view, admins_only=True)


def in_scope(center_id: int | None) -> bool:
    """Whether the signed-in person may see and change what belongs to this center."""
    return g.scope is None or (center_id is not None and center_id in g.scope)


def scoped(query: Select[Any], column: InstrumentedAttribute[Any]) -> Select[Any]:
    """The query narrowed to the signed-in person's centers (`column` holds a center id)."""
    return query if g.scope is None else query.where(column.in_(g.scope))


def get_in_scope(model: type[T], key: Any, center_of: Callable[[T], int | None]) -> T:
    """The row, or 404 when there is none or it lies outside the signed-in person's centers."""
    try:
        found = db().get(model, int(key))
    except (TypeError, ValueError):
        found = None
    if found is None or not in_scope(center_of(found)):
        abort(404)
    return found


class LoginForm(FlaskForm):
    token = StringField()


@bp.get("/login")
def login_page() -> str:
    g._ = translator(console_locale())
    return render_template("admin/login.html", form=LoginForm())


@bp.post("/login")
def login() -> Any:
    g._ = _ = translator(console_locale())
    form = LoginForm()
    token = (form.token.data or "").strip().rpartition("#")[2]  # the code, or the whole link pasted
    if not token:
        return render_template("admin/login.html", form=form,
                               problem=_("Paste the part of the link after # into the box.")), 400
    spent = consume_link(db(), token, utcnow())
    member = db().get(Member, spent.member_id) if spent.member_id else None
    if spent.outcome != "ok" or not may_sign_in(member):
        db().commit()  # a link is spent even when it was not staff's
        problems = {"used": _("This sign-in link has already been used."),
                    "expired": _("This sign-in link has expired."),
                    "unknown": _("This sign-in link is not valid.")}
        status = 403 if spent.outcome == "ok" else 404 if spent.outcome == "unknown" else 401
        log.info("console sign-in refused: %s", spent.outcome if spent.outcome != "ok" else "not staff")
        problem = problems.get(spent.outcome, _("Only coordinators and admins can sign in here."))
        return render_template("admin/signed_out.html", problem=problem), status
    assert member is not None
    if session.get("sid"):
        close_session(db(), str(session["sid"]))
    opened = open_session(db(), member.id, utcnow())
    db().commit()
    language = session.get(LANGUAGE_KEY)
    session.clear()  # a new session: a new CSRF token too
    session["sid"] = opened.session_id
    if language:
        session[LANGUAGE_KEY] = language
    log.info("console sign-in: member %s (%s)", member.id, member.role)
    return redirect(url_for("admin.dashboard"), 303)


@bp.post("/logout")
@staff_required
def logout() -> Response:
    close_session(db(), str(session["sid"]))
    db().commit()
    session.clear()
    return redirect(url_for("admin.dashboard"), 303)


@bp.get("/language/<code>")
def language(code: str) -> Response:
    """The English / Thai switch: kept in the session (signed in or not), then back to the page."""
    if code in LANGUAGES:
        session[LANGUAGE_KEY] = code
    back = request.args.get("next", "")
    parts = urlsplit(back)
    if parts.scheme or parts.netloc or not parts.path.startswith("/admin"):
        back = url_for("admin.dashboard")
    return redirect(back, 303)


def _csrf_refused(error: CSRFError) -> Any:
    """A form without this session's token: a page that says what to do, and nothing changed."""
    if not request.path.startswith("/admin"):
        return error
    g._ = _ = translator(console_locale())
    if request.endpoint == "admin.login":
        problem = _("Your browser must keep this site's cookie to sign in. Open the link again and press Sign in.")
        return render_template("admin/login.html", form=LoginForm(), problem=problem), 400
    problem = _("This form has expired or did not come from this site. Nothing was changed: reload the page and "
                "try again.")
    return render_template("admin/signed_out.html", problem=problem, keep_signed_in=True), 400


def _page_headers(response: Response) -> Response:
    if request.path == "/admin" or request.path.startswith("/admin/"):
        for name, value in PAGE_HEADERS.items():
            response.headers[name] = value
    return response


def init_auth(app: Flask) -> None:
    settings: Settings = app.config["SETTINGS"]
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                      SESSION_COOKIE_SECURE=settings.public_base_url.startswith("https://"),
                      WTF_CSRF_TIME_LIMIT=None)  # the token lives as long as the session row behind the cookie
    app.after_request(_page_headers)
    app.register_error_handler(CSRFError, _csrf_refused)

    @app.teardown_appcontext
    def close_db(_exc: BaseException | None) -> None:
        found = g.pop("db", None)
        if found is not None:
            found.close()
