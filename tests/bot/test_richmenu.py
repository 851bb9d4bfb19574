"""`coopbot richmenu deploy` against the local LINE API over real HTTP: the menu, its image, the default."""

from __future__ import annotations

import io
from pathlib import Path

from flask import Flask
from PIL import Image

from bot.cli import cli
from bot.nlu import Intent
from bot.sandbox.line_api import LineWorld

LABELS = ["สั่งซื้อรวม", "ราคายาง", "แจ้งเตือนราคา", "รายการสั่งซื้อ", "ข่าวสาร", "ช่วยเหลือ"]
REFUSED = 'Error: LINE refused the rich menu: LINE API {status}: {{"message":"Injected fault"}}'
INTENTS = ["rounds.list", "price.today", "alert.list", "order.list", "news", "help"]


def test_deploy_creates_the_six_button_thai_menu_uploads_its_image_and_makes_it_the_default(
    app: Flask, line_world: LineWorld
) -> None:
    result = app.test_cli_runner().invoke(cli, ["richmenu", "deploy"])
    assert result.exit_code == 0, result.output
    menu_id = line_world.default_rich_menu
    assert menu_id and result.output.strip() == f"rich menu {menu_id} is now the default"

    menu = line_world.rich_menus[menu_id]["menu"]
    assert menu["size"] == {"width": 2500, "height": 1686}
    assert menu["chatBarText"] == "เมนู" and menu["selected"] is True
    actions = [area["action"] for area in menu["areas"]]
    assert [action["label"] for action in actions] == LABELS
    assert [action["displayText"] for action in actions] == LABELS
    assert all(action["type"] == "postback" for action in actions)
    assert [Intent.from_postback(action["data"]).name for action in actions] == INTENTS  # type: ignore[union-attr]

    bounds = [area["bounds"] for area in menu["areas"]]
    assert [(b["x"], b["y"]) for b in bounds] == [(0, 0), (833, 0), (1667, 0), (0, 843), (833, 843), (1667, 843)]
    assert sum(b["width"] * b["height"] for b in bounds) == 2500 * 1686, "the six areas cover the image exactly"

    (upload,) = line_world.sent(f"/v2/bot/richmenu/{menu_id}/content")
    assert upload.headers["content-type"] == "image/png"
    image = line_world.rich_menus[menu_id]["image"]
    assert image == upload.body and image.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(image) < 1024 * 1024, "LINE refuses images over 1 MB"
    with Image.open(io.BytesIO(image)) as png:
        assert png.format == "PNG" and png.size == (2500, 1686)
        png.verify()


def _set_default_calls(line_world: LineWorld) -> list[str]:
    return [r.path for r in line_world.requests if "/v2/bot/user/all/richmenu/" in r.path]


def test_deploy_exits_non_zero_with_one_clear_line_when_line_refuses(app: Flask, line_world: LineWorld) -> None:
    line_world.faults.append(500)
    result = app.test_cli_runner().invoke(cli, ["richmenu", "deploy"])
    assert result.exit_code != 0
    assert result.output.splitlines() == [REFUSED.format(status=500)]

    line_world.faults.extend([0, 400])  # the menu is created and its image refused: it must not become the default
    result = app.test_cli_runner().invoke(cli, ["richmenu", "deploy"])
    assert result.exit_code != 0
    assert result.output.splitlines() == [REFUSED.format(status=400)]
    assert _set_default_calls(line_world) == []


def test_draw_writes_the_image_to_look_at_before_deploying(app: Flask, tmp_path: Path) -> None:
    out = tmp_path / "menu.png"
    result = app.test_cli_runner().invoke(cli, ["richmenu", "draw", "-o", str(out)])
    assert result.exit_code == 0, result.output
    with Image.open(out) as png:
        assert png.size == (2500, 1686)
