"""The sandbox chat page: pick or create a member, chat with the bot as their phone would, through the real
signed POST /callback, and see the replies and pushes LINE delivered to them."""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request, url_for
from sqlalchemy import select

from bot.sandbox import phone
from bot.sandbox.line_api import LineWorld
from bot.web.webhook import PATH as WEBHOOK_PATH
from models.base import utcnow
from models.member import LANGUAGES, ROLES, Member, move_to
from models.network import DISTRICTS, Center

log = logging.getLogger(__name__)

bp = Blueprint("sandbox", __name__, template_folder="templates", static_folder="static")


def _world() -> LineWorld:
    world: LineWorld = current_app.extensions["line_world"]
    return world


def _phone() -> phone.Phone:
    found: phone.Phone = current_app.extensions["sandbox_phone"]
    return found


@bp.get("/", strict_slashes=False)
def page() -> str:
    return render_template("sandbox.html")


def _member_json(member: Member) -> dict[str, Any]:
    return {
        "userId": member.line_user_id,
        "name": member.name or member.display_name or member.line_user_id[-6:],
        "language": member.locale,
        "role": member.role,
        "center": member.center.code if member.center else None,
        "registered": member.registered,
        "active": member.active,
    }


@bp.get("/api/members")
def members() -> Response:
    with current_app.extensions["sessions"]() as db:
        rows = db.scalars(select(Member).where(Member.line_user_id != "").order_by(Member.id.desc()).limit(200))
        found = [_member_json(m) for m in rows]
        centers = [
            {"code": c.code, "name": c.name_th, "level": c.level}
            for c in db.scalars(select(Center).order_by(Center.id))
        ]
    return jsonify(members=found, centers=centers, districts=[d for d, _ in DISTRICTS], roles=ROLES,
                   languages=LANGUAGES)


def _bad(message: str) -> Response:
    response = jsonify(error=message)
    response.status_code = 400
    return response


@bp.post("/api/members")
def create_member() -> Response:
    """A new friend of the bot: the Member row first (with the role the page asked for), then `follow`."""
    form = request.get_json(silent=True) or {}
    name = str(form.get("name") or "").strip()[:200]
    language, role = form.get("language", "th"), form.get("role", "member")
    if not name:
        return _bad("name is required")
    if language not in LANGUAGES or role not in ROLES:
        return _bad(f"language must be one of {LANGUAGES}, role one of {ROLES}")
    user_id = "U" + uuid.uuid4().hex
    with current_app.extensions["sessions"]() as db, db.begin():
        center = db.scalar(select(Center).where(Center.code == form.get("center"))) if form.get("center") else None
        if role == "coordinator" and center is None:
            return _bad("a coordinator needs a center")
        member = Member(line_user_id=user_id, display_name=name, language=language, role=role,
                        center_id=center.id if center and role != "member" else None, profile_language=language)
        if form.get("registered"):
            district = form.get("district") or DISTRICTS[0][0]
            if district not in dict(DISTRICTS):
                return _bad("unknown district")
            member.name, member.consent_at = name, utcnow()
            move_to(db, member, district)  # and the district cooperative, as registering does
        db.add(member)
    _world().profiles[user_id] = {"displayName": name, "language": language}
    return _deliver(phone.follow_event(user_id), shown=None)


@bp.post("/api/send")
def send() -> Response:
    """What the member did (typed text, pressed a button, followed) goes to /callback as a signed webhook."""
    form = request.get_json(silent=True) or {}
    user_id = str(form.get("user") or "")
    if not user_id.startswith("U"):
        return _bad("pick a member first")
    if form.get("follow"):
        return _deliver(phone.follow_event(user_id), shown=None)
    if isinstance(form.get("data"), str):
        params = form.get("params") if isinstance(form.get("params"), dict) else None
        return _deliver(phone.postback_event(user_id, form["data"], params), shown=form.get("displayText"))
    text = str(form.get("text") or "")
    if not text.strip():
        return _bad("type a message")
    return _deliver(phone.text_event(user_id, text), shown=text)


def _deliver(event: dict[str, Any], shown: str | None) -> Response:
    started = time.perf_counter()
    body, signature = phone.signed([event], current_app.extensions["channel"].secret())
    _phone().sends(event, shown)
    try:
        status = phone.post_callback(request.host_url.rstrip("/") + WEBHOOK_PATH, body, signature)
    except phone.CallbackUnreachable as exc:
        response = jsonify(error=f"{exc} (run the sandbox with a threaded server: make run)")
        response.status_code = 502
        return response
    elapsed = time.perf_counter() - started
    current_app.extensions["replies"].flush()  # the reply leaves after the webhook has answered: show it
    _deliver_pushes()
    user_id = event["source"]["userId"]
    entries = _phone().timeline(_world(), user_id)
    return jsonify(user=user_id, webhook=status, ms=round(elapsed * 1000), entries=entries)


def _deliver_pushes() -> None:
    """Pushes a handler queued go out now rather than at the next scheduler tick, so the phones show them.
    Safe beside the scheduler: the outbox has one sender at a time, and each delivery its own retry key."""
    try:
        current_app.extensions["outbox"].drain()
    except Exception:
        log.exception("sandbox: delivering queued pushes failed")


@bp.get("/api/timeline")
def timeline() -> Response:
    user_id = request.args.get("user", "")
    return jsonify(entries=_phone().timeline(_world(), user_id))


@bp.get("/api/richmenu")
def rich_menu() -> Response:
    world = _world()
    if world.default_rich_menu is None:
        _deploy_rich_menu_once()
    menu = world.rich_menus.get(world.default_rich_menu or "")
    if menu is None:
        return jsonify(id=None, menu=None)
    menu_id = world.default_rich_menu
    return jsonify(id=menu_id, menu=menu["menu"], image=url_for("sandbox.rich_menu_image", menu_id=menu_id))


def _deploy_rich_menu_once() -> None:
    """The local LINE forgets everything on restart, so the sandbox deploys the bot's own rich menu (through
    the LINE seam, over HTTP, exactly as `coopbot richmenu deploy` does) the first time a phone asks."""
    found = _phone()
    with found.lock:
        if found.menu_tried:
            return
        found.menu_tried = True
    try:
        from bot.render import richmenu

        richmenu.deploy(current_app.extensions["line"])
    except Exception:
        log.exception("sandbox: deploying the rich menu failed")


@bp.get("/richmenu/<menu_id>")
def rich_menu_image(menu_id: str) -> Response:
    menu = _world().rich_menus.get(menu_id)
    if menu is None or menu["image"] is None:
        abort(404)
    return Response(menu["image"], mimetype=menu["content_type"] or "image/png")
