"""The admin page: sign-in links, CSRF, encrypted channel secrets, roles and centers (sign-in in depth:
test_admin_signin.py)."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import create_app
from models.channel import ChannelSetting
from models.member import Member
from models.network import Center
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


def test_admin_sees_the_network_and_channel_status(seeded: Flask) -> None:
    page = _signed_in(seeded).get("/admin/channel").get_data(as_text=True)
    assert "ชุมนุมสหกรณ์การยางจังหวัดพัทลุง จำกัด" in page
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


def test_admin_makes_a_coordinator_of_a_center(seeded: Flask, db: Session) -> None:
    registered(seeded, "Ustaff")
    client = _signed_in(seeded)
    csrf = _csrf(client)
    client.post("/admin/roles", data={"line_user_id": "Ustaff", "role": "coordinator", "center": "",
                                      "csrf_token": csrf})
    assert "ผู้ประสานงานต้องสังกัดศูนย์" in client.get("/admin/channel").get_data(as_text=True)
    client.post("/admin/roles", data={"line_user_id": "Ustaff", "role": "coordinator", "center": "FEED-BETAGRO",
                                      "csrf_token": csrf})
    member = db.scalars(select(Member).where(Member.line_user_id == "Ustaff")).one()
    assert member.role == "coordinator" and member.center is not None and member.center.brand == "betagro"
    assert "<td>ผู้ประสานงาน</td>" in client.get("/admin/channel").get_data(as_text=True)


@pytest.mark.parametrize(("phone", "saved"), [("074-611-234", "074-611-234"), ("0812345678", "0812345678"),
                                              ("call me", None)])
def test_admin_sets_a_centers_phone(seeded: Flask, db: Session, phone: str, saved: str | None) -> None:
    client = _signed_in(seeded)
    center = db.scalars(select(Center).where(Center.code == "PROV-RUBBER")).one()
    client.post(f"/admin/centers/{center.id}", data={"phone": phone, "address": "", "csrf_token": _csrf(client)})
    db.expire_all()
    assert db.get(Center, center.id).phone == saved  # type: ignore[union-attr]


def test_an_admin_downloads_a_members_data(seeded: Flask) -> None:
    """The right of access from the admin page: the member's details, orders and alerts as a JSON file."""
    registered(seeded, "Ufarmer")
    with seeded.extensions["sessions"]() as db, db.begin():
        member = db.scalar(select(Member).where(Member.line_user_id == "Ufarmer"))
        assert member is not None
        member.phone = "0812345678"
    client = _signed_in(seeded)
    assert "สิทธิขอเข้าถึงข้อมูล" in client.get("/admin/channel").get_data(as_text=True)
    response = client.get("/admin/members/data?who=081-234-5678")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    data = response.get_json(force=True)
    assert data["member"]["line_user_id"] == "Ufarmer" and data["member"]["phone"] == "0812345678"
    assert data["orders_and_pledges"] == [] and data["price_alerts"] == []
    missing = client.get("/admin/members/data?who=0899999999")
    assert missing.status_code == 302
    assert seeded.test_client().get("/admin/members/data?who=Ufarmer").status_code == 401
