"""Signing in to the admin page as a browser does: open the link's page, then press the button that POSTs
the code from after '#'."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from bot.web.admin import login_link
from models.member import Member


def link_for(app: Flask, user_id: str) -> str:
    with app.extensions["sessions"]() as db:
        member = db.scalars(select(Member).where(Member.line_user_id == user_id)).one()
    return login_link(app, member)


def form_field(page: str, name: str) -> str:
    match = re.search(rf'name="{name}"(?: type="hidden")? value="([^"]*)"', page)
    assert match, f"no {name} field in the page"
    return match.group(1)


def sign_in(client: FlaskClient, link: str) -> Any:
    """GET the link's page (the browser keeps the part after '#'), then POST the code with the page's form."""
    page_url, _, token = link.partition("#")
    assert page_url.endswith("/admin/login") and token
    page = client.get("/admin/login")
    assert page.status_code == 200
    return client.post("/admin/login", data={"csrf_token": form_field(page.get_data(as_text=True), "csrf_token"),
                                              "token": token})
