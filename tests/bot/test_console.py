"""The staff console's doors: coordinators sign in too, each sees their own centers, admins everything; the menu,
the language switch and CSRF on every form."""

from __future__ import annotations

import re

from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from bot.cli import cli
from tests.bot.admin_signin import form_field, link_for, sign_in
from tests.support import registered


def staff(app: Flask, user_id: str, role: str = "coordinator", center: str | None = "DIST-05") -> FlaskClient:
    """A signed-in browser of a new admin or coordinator (of `center`)."""
    registered(app, user_id, role=role, center_code=center if role == "coordinator" else None)
    client = app.test_client()
    assert sign_in(client, link_for(app, user_id)).status_code == 303
    return client


def csrf_of(client: FlaskClient, path: str = "/admin/") -> str:
    return form_field(client.get(path).get_data(as_text=True), "csrf_token")


def test_a_coordinator_signs_in_and_sees_no_channel_page(seeded: Flask) -> None:
    client = staff(seeded, "Ucoord")
    page = client.get("/admin/").get_data(as_text=True)
    assert "ระบบงานเจ้าหน้าที่สหกรณ์" in page and "สหกรณ์การเกษตรควนขนุน จำกัด" in page
    menu = re.findall(r'<nav.*?</nav>', page, re.S)[0]
    assert ">รอบ</a>" in menu and ">ราคา</a>" in menu and "/admin/channel" not in menu
    assert client.get("/admin/channel").status_code == 404  # not 403: a coordinator is not told it is there
    admin = staff(seeded, "Uadmin", role="admin")
    assert "/admin/channel" in admin.get("/admin/").get_data(as_text=True)
    assert admin.get("/admin/channel").status_code == 200


def test_a_coordinator_without_a_center_or_a_member_cannot_sign_in(seeded: Flask) -> None:
    registered(seeded, "Unocenter", role="coordinator")
    registered(seeded, "Umember")
    for user_id in ("Unocenter", "Umember"):
        client = seeded.test_client()
        refused = sign_in(client, link_for(seeded, user_id))
        assert refused.status_code == 403
        assert "เฉพาะผู้ประสานงานและผู้ดูแลระบบ" in refused.get_data(as_text=True)
        assert client.get("/admin/").status_code == 401


def test_coopbot_admin_link_is_given_to_coordinators_and_admins_only(seeded: Flask, config: dict[str, str]) -> None:
    registered(seeded, "Ucoord", role="coordinator", center_code="DIST-05")
    registered(seeded, "Umember")
    runner = CliRunner()
    env = {key: value for key, value in config.items()}
    given = runner.invoke(cli, ["admin", "link", "Ucoord"], env=env)
    assert given.exit_code == 0 and re.fullmatch(r"https://bot\.test/admin/login#[\w-]{40,}\n", given.output)
    client = seeded.test_client()
    assert sign_in(client, given.output.strip()).status_code == 303
    refused = runner.invoke(cli, ["admin", "link", "Umember"], env=env)
    assert refused.exit_code == 1 and "is not an admin or a coordinator" in refused.output


def test_the_language_switch_is_kept_in_the_session(seeded: Flask) -> None:
    client = staff(seeded, "Ucoord")
    assert "ภาพรวม" in client.get("/admin/").get_data(as_text=True)
    switched = client.get("/admin/language/en?next=/admin/rounds")
    assert switched.status_code == 303 and switched.location == "/admin/rounds"
    page = client.get("/admin/").get_data(as_text=True)
    assert "Dashboard" in page and "ภาพรวม" not in page and 'lang="en"' in page
    assert client.get("/admin/language/th?next=https://evil.example/").location == "/admin/"  # never elsewhere
    assert "ภาพรวม" in client.get("/admin/").get_data(as_text=True)


def test_the_language_chosen_before_signing_in_stays(seeded: Flask) -> None:
    registered(seeded, "Ucoord", role="coordinator", center_code="DIST-05")
    client = seeded.test_client()
    client.get("/admin/language/en")
    assert "Sign in" in client.get("/admin/login").get_data(as_text=True)
    assert sign_in(client, link_for(seeded, "Ucoord")).status_code == 303
    assert "Dashboard" in client.get("/admin/").get_data(as_text=True)


def test_signing_out_needs_the_csrf_token(seeded: Flask) -> None:
    client = staff(seeded, "Ucoord")
    refused = client.post("/admin/logout")
    assert refused.status_code == 400 and "ยังไม่มีอะไรเปลี่ยน" in refused.get_data(as_text=True)
    assert client.get("/admin/").status_code == 200  # still signed in
    forged = client.post("/admin/logout", data={"csrf_token": "forged"})
    assert forged.status_code == 400
    assert client.post("/admin/logout", data={"csrf_token": csrf_of(client)}).status_code == 303
    assert client.get("/admin/").status_code == 401


def test_a_token_from_another_session_is_refused(seeded: Flask) -> None:
    one, other = staff(seeded, "Uone"), staff(seeded, "Utwo")
    assert one.post("/admin/logout", data={"csrf_token": csrf_of(other)}).status_code == 400
    assert one.get("/admin/").status_code == 200


def test_the_webhook_needs_no_csrf_token(chat: object) -> None:
    from tests.support import Chat, texts

    assert isinstance(chat, Chat)
    assert texts(chat.say("สวัสดี"))  # the signed POST /callback answers as before


def test_over_https_a_form_must_come_from_the_sites_own_pages(seeded: Flask) -> None:
    """Flask-WTF's strict check over https: the Referer must be this site (pages send it: Referrer-Policy is
    same-origin), so a form posted from elsewhere is refused even with a stolen token."""
    registered(seeded, "Ucoord", role="coordinator", center_code="DIST-05")
    client, site = seeded.test_client(), "https://localhost"
    login = client.get("/admin/login", base_url=site)
    assert login.headers["Referrer-Policy"] == "same-origin"
    token = link_for(seeded, "Ucoord").partition("#")[2]
    form = {"csrf_token": form_field(login.get_data(as_text=True), "csrf_token"), "token": token}
    assert client.post("/admin/login", data=form, base_url=site).status_code == 400  # no Referer
    signed = client.post("/admin/login", data=form, base_url=site, headers={"Referer": f"{site}/admin/login"})
    assert signed.status_code == 303
    csrf = form_field(client.get("/admin/", base_url=site).get_data(as_text=True), "csrf_token")
    elsewhere = client.post("/admin/logout", data={"csrf_token": csrf}, base_url=site,
                            headers={"Referer": "https://evil.example/"})
    assert elsewhere.status_code == 400
    assert client.get("/admin/", base_url=site).status_code == 200
