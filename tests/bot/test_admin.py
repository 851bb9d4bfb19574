"""The admin page: sign-in links, CSRF, encrypted channel secrets, roles and centers (sign-in in depth:
test_admin_signin.py)."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import create_app
from models.channel import ChannelSetting
from tests.bot.admin_signin import link_for, sign_in
from tests.support import post_events, registered, sign, text_event


def _signed_in(app: Flask, user_id: str = "Uadmin") -> FlaskClient:
    registered(app, user_id, role="admin")
    client = app.test_client()
    response = sign_in(client, link_for(app, user_id))
    assert response.status_code == 303 and response.location == "/admin/"
    return client


def _csrf(client: FlaskClient) -> str:
    page = client.get("/admin/channel").get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match
    return match.group(1)


def test_the_page_needs_a_sign_in(seeded: Flask) -> None:
    response = seeded.test_client().get("/admin/")
    assert response.status_code == 401
    assert "coopbot admin link" in response.get_data(as_text=True)


def test_a_link_for_a_non_admin_or_a_forged_one_does_not_sign_in(seeded: Flask) -> None:
    registered(seeded, "Umember")
    client = seeded.test_client()
    assert sign_in(client, link_for(seeded, "Umember")).status_code == 403
    assert sign_in(client, "https://bot.test/admin/login#forged-token-value").status_code == 404
    assert client.get("/admin/").status_code == 401


def test_admin_sees_the_channel_status(seeded: Flask) -> None:
    page = _signed_in(seeded).get("/admin/channel").get_data(as_text=True)
    assert "https://bot.test/callback" in page
    assert "test-channel-secret" not in page and "test-access-token" not in page


def test_forms_need_the_csrf_token(seeded: Flask, db: Session) -> None:
    client = _signed_in(seeded)
    assert client.post("/admin/channel", data={"secret": "x"}).status_code == 400
    assert db.scalars(select(ChannelSetting)).all() == []


def test_a_stored_channel_secret_is_encrypted_and_used_when_no_variable_is_set(
    config: dict[str, str], db: Session
) -> None:
    without_env = {k: v for k, v in config.items() if k not in ("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN")}
    app = create_app(without_env)
    from bot import seed

    with app.extensions["sessions"]() as session, session.begin():
        seed.network(session)
    body = b'{"destination": "U", "events": []}'
    assert app.test_client().post("/callback", data=body, headers={"x-line-signature": sign(body)}).status_code == 503

    client = _signed_in(app)
    response = client.post("/admin/channel", data={"secret": "stored-secret", "token": "stored-token",
                                                   "csrf_token": _csrf(client)})
    assert response.status_code == 302
    stored = {row.name: row.encrypted_value for row in db.scalars(select(ChannelSetting))}
    assert set(stored) == {"line_channel_secret", "line_channel_access_token"}
    assert all("stored-" not in value for value in stored.values())

    signed_with_stored = post_events(app.test_client(), [text_event("Unew", "สวัสดี")], secret="stored-secret")
    assert signed_with_stored.status_code == 200
    assert post_events(app.test_client(), [text_event("Unew", "สวัสดี")]).status_code == 400
    app.extensions["engine"].dispose()


def test_the_channel_page_sends_roles_centers_and_data_to_their_own_pages(seeded: Flask) -> None:
    """One place each: roles on a member's page, centers' contacts on the catalog, a member's data from their page
    (tests/bot/test_console_members.py, test_console_catalog.py); the old forms' addresses are gone."""
    client = _signed_in(seeded)
    page = client.get("/admin/channel").get_data(as_text=True)
    assert 'href="/admin/members"' in page and 'href="/admin/catalog"' in page
    csrf = _csrf(client)
    assert client.post("/admin/roles", data={"line_user_id": "Ustaff", "role": "admin",
                                             "csrf_token": csrf}).status_code in (404, 405)
    assert client.get("/admin/members/data?who=0812345678").status_code == 404
