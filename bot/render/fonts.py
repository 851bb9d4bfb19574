"""Sarabun, the Thai font every picture and page of the bot uses, from the fontpkg_sarabun package (never the
system's, which may have no Thai at all)."""

from __future__ import annotations

from pathlib import Path

import fontpkg_sarabun
from flask import Blueprint, Flask, Response, abort, send_file

FAMILY: str = fontpkg_sarabun.FAMILY
WEIGHTS = {"regular": "Regular", "bold": "Bold"}

bp = Blueprint("fonts", __name__)


def path(weight: str = "regular") -> Path:
    return Path(fontpkg_sarabun.ROOT) / "files" / f"Sarabun-{WEIGHTS[weight]}.ttf"


@bp.get("/fonts/<weight>.ttf")
def font(weight: str) -> Response:
    if weight not in WEIGHTS:
        abort(404)
    return send_file(path(weight), mimetype="font/ttf", max_age=86400)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
