"""Signing in to the admin page: a link works once and for 15 minutes, never reaches an access log, and a
session ends on the server at sign-out; admin pages cannot be framed or cached."""

from __future__ import annotations

import http.cookiejar
import logging
import re
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot import create_app
from models.base import utcnow
from models.member import Member
from models.web_sessions import WebSession, issue_link
from tests.bot.admin_signin import form_field, link_for, sign_in
from tests.support import registered, serve


@pytest.fixture
def admin(seeded: Flask) -> Flask:
    registered(seeded, "Uadmin", role="admin")
    return seeded


@pytest.fixture
def served(admin: Flask, config: dict[str, str]) -> Iterator[tuple[Flask, str]]:
    """The app over real HTTP on a loopback port, PUBLIC_BASE_URL its own address (http: a cookie jar would
    not send a Secure cookie back over it)."""
    port = _free_port()
    app = create_app({**config, "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}"})
    with serve(app, port) as url:
        yield app, url
    app.extensions["engine"].dispose()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _page(response: Any) -> str:
    return str(response.get_data(as_text=True))


def test_the_link_opens_a_page_and_its_button_signs_in_once(admin: Flask) -> None:
    link = link_for(admin, "Uadmin")
    assert link.startswith("https://bot.test/admin/login#")

    first = admin.test_client()
    page = first.get("/admin/login")
    assert page.status_code == 200 and 'name="token"' in _page(page)
    assert first.get("/admin/").status_code == 401  # opening the page is not signing in
    assert sign_in(first, link).status_code == 303
    assert first.get("/admin/").status_code == 200

    second = admin.test_client()  # the same link in another browser
    again = sign_in(second, link)
    assert again.status_code == 401 and "ลิงก์เข้าสู่ระบบนี้ถูกใช้ไปแล้ว" in _page(again)
    assert second.get("/admin/").status_code == 401


def test_a_link_used_at_the_same_moment_twice_signs_in_once(served: tuple[Flask, str]) -> None:
    """Two browsers press the button together, over real HTTP: one is signed in, the other refused."""
    app, url = served
    token = link_for(app, "Uadmin").partition("#")[2]
    statuses: list[int] = []
    openers = [_browser() for _ in range(2)]
    forms = [_open_login_page(opener, url) for opener in openers]
    start = threading.Barrier(2)

    def press(index: int) -> None:
        start.wait()
        statuses.append(_post(openers[index], f"{url}/admin/login", {"csrf_token": forms[index], "token": token}))

    threads = [threading.Thread(target=press, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(statuses) == [200, 401]  # 200: the 303 to the admin page, followed


def test_a_link_is_refused_after_signing_out(admin: Flask) -> None:
    link = link_for(admin, "Uadmin")
    client = admin.test_client()
    assert sign_in(client, link).status_code == 303
    csrf = form_field(_page(client.get("/admin/")), "csrf_token")
    assert client.post("/admin/logout", data={"csrf_token": csrf}).status_code == 303
    assert client.get("/admin/").status_code == 401
    assert sign_in(client, link).status_code == 401
    assert client.get("/admin/").status_code == 401


def test_a_cookie_copied_before_signing_out_is_refused_after(admin: Flask, db: Session) -> None:
    browser = admin.test_client()
    assert sign_in(browser, link_for(admin, "Uadmin")).status_code == 303
    cookie = browser.get_cookie("session")
    assert cookie is not None
    thief = admin.test_client()
    thief.set_cookie("session", cookie.value)
    assert thief.get("/admin/").status_code == 200  # a copy works while the session lives...

    csrf = form_field(_page(browser.get("/admin/")), "csrf_token")
    assert browser.post("/admin/logout", data={"csrf_token": csrf}).status_code == 303
    assert thief.get("/admin/").status_code == 401  # ...and not after the sign-out
    assert db.scalars(select(WebSession)).all() == []


def test_a_link_lasts_15_minutes(admin: Flask, db: Session) -> None:
    member_id = db.scalars(select(Member.id).where(Member.line_user_id == "Uadmin")).one()
    with admin.extensions["sessions"]() as session, session.begin():
        stale = issue_link(session, member_id, utcnow() - timedelta(minutes=16))
        fresh = issue_link(session, member_id, utcnow() - timedelta(minutes=14))
    client = admin.test_client()
    expired = sign_in(client, f"https://bot.test/admin/login#{stale}")
    assert expired.status_code == 401 and "ลิงก์เข้าสู่ระบบนี้หมดอายุแล้ว" in _page(expired)
    assert client.get("/admin/").status_code == 401
    assert sign_in(client, f"https://bot.test/admin/login#{fresh}").status_code == 303


def test_a_session_ends_after_12_idle_hours(admin: Flask, db: Session) -> None:
    client = admin.test_client()
    assert sign_in(client, link_for(admin, "Uadmin")).status_code == 303
    db.execute(update(WebSession).values(seen_at=utcnow() - timedelta(hours=11)))
    assert client.get("/admin/").status_code == 200  # and the idle clock starts again
    assert db.scalars(select(WebSession.seen_at)).one() > utcnow() - timedelta(minutes=1)
    db.execute(update(WebSession).values(seen_at=utcnow() - timedelta(hours=13)))
    assert client.get("/admin/").status_code == 401
    assert db.scalars(select(WebSession)).all() == []


def test_a_member_no_longer_admin_is_signed_out(admin: Flask, db: Session) -> None:
    client = admin.test_client()
    assert sign_in(client, link_for(admin, "Uadmin")).status_code == 303
    db.execute(update(Member).where(Member.line_user_id == "Uadmin").values(role="member"))
    assert client.get("/admin/").status_code == 401


def test_a_sign_in_posted_from_another_site_is_refused(admin: Flask) -> None:
    """Without the page's cookie (a cross-site form) the code is not even tried, so the link still works."""
    link = link_for(admin, "Uadmin")
    token = link.partition("#")[2]
    elsewhere = admin.test_client()
    refused = elsewhere.post("/admin/login", data={"csrf_token": "guessed", "token": token})
    assert refused.status_code == 400
    assert sign_in(admin.test_client(), link).status_code == 303


def test_the_code_can_be_pasted_without_javascript(admin: Flask) -> None:
    link = link_for(admin, "Uadmin")
    client = admin.test_client()
    page = _page(client.get("/admin/login"))
    assert "ส่วนของลิงก์หลังเครื่องหมาย #" in page  # the box a browser without JavaScript shows
    pasted = client.post("/admin/login", data={"csrf_token": form_field(page, "csrf_token"), "token": f"  {link}  "})
    assert pasted.status_code == 303


@pytest.mark.parametrize("path", ["/admin/", "/admin/login", "/admin/no-such-page"])
def test_admin_pages_cannot_be_framed_or_cached(admin: Flask, path: str) -> None:
    client = admin.test_client()
    for response in (client.get(path), _signed_in_get(admin, path)):
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["Cache-Control"] == "no-store"
    assert "X-Frame-Options" not in client.get("/healthz").headers


def _signed_in_get(app: Flask, path: str) -> Any:
    client = app.test_client()
    assert sign_in(client, link_for(app, "Uadmin")).status_code == 303
    return client.get(path)


@pytest.mark.parametrize(("public", "secure"), [("https://bot.test", True), ("http://127.0.0.1:8000", False)])
def test_the_session_cookie_is_secure_when_the_site_is_https(
    admin: Flask, config: dict[str, str], public: str, secure: bool
) -> None:
    app = create_app({**config, "PUBLIC_BASE_URL": public})
    try:
        client = app.test_client()
        signed = sign_in(client, link_for(app, "Uadmin"))
        cookie = signed.headers["Set-Cookie"]
        assert signed.status_code == 303 and "HttpOnly" in cookie and "SameSite=Lax" in cookie
        assert ("Secure" in cookie) is secure
    finally:
        app.extensions["engine"].dispose()


def test_the_token_never_reaches_the_access_log(served: tuple[Flask, str], caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="werkzeug")
    app, url = served
    link = link_for(app, "Uadmin")
    token = link.partition("#")[2]
    assert link.startswith(f"{url}/admin/login#")
    opener = _browser()
    csrf = _open_login_page(opener, link)  # urllib, as a browser, sends no part after '#'
    assert _post(opener, f"{url}/admin/login", {"csrf_token": csrf, "token": token}) == 200
    with opener.open(f"{url}/admin/", timeout=10) as response:
        assert "ออกจากระบบ" in response.read().decode()
    access = [re.sub(r"\x1b\[[0-9;]*m", "", r.getMessage()) for r in caplog.records if r.name == "werkzeug"]
    assert any('"GET /admin/login HTTP/1.1" 200' in line for line in access), access
    assert any('"POST /admin/login HTTP/1.1" 303' in line for line in access), access
    assert any('"GET /admin/ HTTP/1.1" 200' in line for line in access), access
    assert not [line for line in caplog.messages if token in line]


def _browser() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def _open_login_page(opener: urllib.request.OpenerDirector, url: str) -> str:
    """GET the sign-in page (urllib, like a browser, sends no fragment); returns the form's CSRF value."""
    if "/admin/login" not in url:
        url += "/admin/login"
    with opener.open(url, timeout=10) as response:
        return form_field(response.read().decode(), "csrf_token")


def _post(opener: urllib.request.OpenerDirector, url: str, form: dict[str, str]) -> int:
    try:
        with opener.open(url, data=urllib.parse.urlencode(form).encode(), timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
