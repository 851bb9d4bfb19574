"""GET /media/<id>: an image a coordinator attached to an announcement, for LINE to fetch (from the database, so
that any web process serves it)."""

from __future__ import annotations

from flask import Blueprint, Flask, Response, abort, current_app

from models.announcements import Media

bp = Blueprint("media", __name__)


@bp.get("/media/<int:media_id>")
def media(media_id: int) -> Response:
    with current_app.extensions["sessions"]() as db:
        found = db.get(Media, media_id)
        if found is None:
            abort(404)
        response = Response(found.data, mimetype=found.content_type)
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"  # an id is never reused
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
