"""The six-button Thai rich menu under the chat: drawn here with Pillow and the packaged Sarabun font, then
created, given its image and made the default through the LINE seam (`coopbot richmenu deploy`).

The buttons are the quick replies' main actions (handlers.ui, through bot.routes) with the Thai catalog,
so the menu, the quick replies and their postbacks say the same thing from one place.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from linebot.v3.messaging import PostbackAction, RichMenuArea, RichMenuBounds, RichMenuRequest, RichMenuSize
from PIL import Image, ImageDraw, ImageFont

from bot.i18n import translator
from bot.line import Line
from bot.nlu import Intent
from bot.render import fonts
from bot.routes import menu_buttons

WIDTH, HEIGHT = 2500, 1686
COLUMNS, ROWS = 3, 2
IMAGE_LIMIT = 1024 * 1024  # LINE refuses rich-menu images over 1 MB
FONT = fonts.path("bold")
LOCALE = "th"  # the menu is one image for every member, so it speaks the network's language
NAME = "coopbot main menu"

BACKGROUNDS = ("#1B5E20", "#2E7D32")  # two rubber-leaf greens in a checkerboard, so the six cells stand apart
INK = "#FFFFFF"
ACCENT = "#FFD54F"


def buttons() -> list[tuple[str, Intent]]:
    return menu_buttons(translator(LOCALE))


def _cell(index: int) -> tuple[int, int, int, int]:
    """(x, y, width, height) of the index-th button, left to right, top to bottom, covering the image exactly."""
    column, row = index % COLUMNS, index // COLUMNS
    left, right = round(column * WIDTH / COLUMNS), round((column + 1) * WIDTH / COLUMNS)
    top, bottom = round(row * HEIGHT / ROWS), round((row + 1) * HEIGHT / ROWS)
    return left, top, right - left, bottom - top


def menu() -> RichMenuRequest:
    _ = translator(LOCALE)
    areas = []
    for index, (label, intent) in enumerate(buttons()):
        x, y, width, height = _cell(index)
        areas.append(
            RichMenuArea(
                bounds=RichMenuBounds(x=x, y=y, width=width, height=height),
                action=PostbackAction(label=label, data=intent.to_postback(), displayText=label),
            )
        )
    return RichMenuRequest(
        size=RichMenuSize(width=WIDTH, height=HEIGHT),
        selected=True,
        name=NAME,
        chatBarText=_("Menu"),
        areas=areas,
    )


# Icons drawn with plain shapes in a box of side `s` whose top-left corner is (x, y).
Icon = Callable[[ImageDraw.ImageDraw, float, float, float], None]


def _basket(d: ImageDraw.ImageDraw, x: float, y: float, s: float) -> None:
    w = s * 0.06
    d.arc((x + s * 0.25, y, x + s * 0.75, y + s * 0.6), 180, 360, fill=INK, width=round(w))
    d.polygon([(x, y + s * 0.3), (x + s, y + s * 0.3), (x + s * 0.85, y + s * 0.9), (x + s * 0.15, y + s * 0.9)], INK)
    for i in (0.3, 0.5, 0.7):
        d.line((x + s * i, y + s * 0.42, x + s * i, y + s * 0.8), fill=BACKGROUNDS[0], width=round(w))


def _drop(d: ImageDraw.ImageDraw, x: float, y: float, s: float) -> None:
    # The sides of the tip are tangents to the round bottom (radius 0.35 around (0.5, 0.65)), so it looks like one drop.
    d.polygon([(x + s * 0.5, y), (x + s * 0.205, y + s * 0.4615), (x + s * 0.795, y + s * 0.4615)], INK)
    d.ellipse((x + s * 0.15, y + s * 0.3, x + s * 0.85, y + s), INK)
    d.ellipse((x + s * 0.3, y + s * 0.55, x + s * 0.45, y + s * 0.75), ACCENT)


def _bell(d: ImageDraw.ImageDraw, x: float, y: float, s: float) -> None:
    d.ellipse((x + s * 0.44, y, x + s * 0.56, y + s * 0.12), INK)
    d.pieslice((x + s * 0.18, y + s * 0.08, x + s * 0.82, y + s * 0.75), 180, 360, INK)
    d.rectangle((x + s * 0.18, y + s * 0.4, x + s * 0.82, y + s * 0.75), INK)
    d.polygon([(x + s * 0.18, y + s * 0.7), (x + s * 0.82, y + s * 0.7), (x + s, y + s * 0.82), (x, y + s * 0.82)], INK)
    d.ellipse((x + s * 0.4, y + s * 0.82, x + s * 0.6, y + s), ACCENT)


def _clipboard(d: ImageDraw.ImageDraw, x: float, y: float, s: float) -> None:
    d.rounded_rectangle((x + s * 0.15, y + s * 0.08, x + s * 0.85, y + s), radius=s * 0.06, fill=INK)
    d.rounded_rectangle((x + s * 0.35, y, x + s * 0.65, y + s * 0.16), radius=s * 0.04, fill=ACCENT)
    for row in (0.35, 0.55, 0.75):
        d.ellipse((x + s * 0.25, y + s * (row - 0.04), x + s * 0.33, y + s * (row + 0.04)), BACKGROUNDS[0])
        d.line((x + s * 0.4, y + s * row, x + s * 0.75, y + s * row), fill=BACKGROUNDS[0], width=round(s * 0.06))


def _megaphone(d: ImageDraw.ImageDraw, x: float, y: float, s: float) -> None:
    d.polygon([(x + s * 0.1, y + s * 0.35), (x + s * 0.75, y + s * 0.05), (x + s * 0.75, y + s * 0.85),
               (x + s * 0.1, y + s * 0.6)], INK)
    d.rectangle((x, y + s * 0.33, x + s * 0.15, y + s * 0.62), INK)
    d.polygon([(x + s * 0.2, y + s * 0.6), (x + s * 0.38, y + s * 0.66), (x + s * 0.33, y + s * 0.98),
               (x + s * 0.2, y + s * 0.98)], INK)
    for i, length in ((0.25, 0.14), (0.45, 0.18), (0.65, 0.14)):
        d.line((x + s * 0.83, y + s * i, x + s * (0.83 + length), y + s * i), fill=ACCENT, width=round(s * 0.06))


def _question(d: ImageDraw.ImageDraw, x: float, y: float, s: float) -> None:
    d.ellipse((x, y, x + s, y + s), INK)
    font = ImageFont.truetype(str(FONT), round(s * 0.8))
    d.text((x + s / 2, y + s / 2), "?", font=font, fill=BACKGROUNDS[0], anchor="mm")


ICONS: dict[str, Icon] = {
    "rounds.list": _basket,
    "price.today": _drop,
    "alert.list": _bell,
    "order.list": _clipboard,
    "news": _megaphone,
    "help": _question,
}


def _label_font(draw: ImageDraw.ImageDraw, labels: list[str], room: float) -> ImageFont.FreeTypeFont:
    """One size for every label, the largest at which the longest one fits its cell."""
    size = 150
    while size > 40:
        font = ImageFont.truetype(str(FONT), size)
        if max(draw.textlength(label, font=font) for label in labels) <= room:
            return font
        size -= 5
    return ImageFont.truetype(str(FONT), size)


def draw() -> bytes:
    """The menu image as PNG bytes: an icon and a Thai label in each of the six cells."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUNDS[0])
    pen = ImageDraw.Draw(image)
    menu_buttons = buttons()
    font = _label_font(pen, [label for label, _intent in menu_buttons], WIDTH / COLUMNS * 0.88)
    for index, (label, intent) in enumerate(menu_buttons):
        x, y, width, height = _cell(index)
        pen.rectangle((x, y, x + width, y + height), fill=BACKGROUNDS[(index % COLUMNS + index // COLUMNS) % 2])
        side = height * 0.38
        ICONS.get(intent.name, _question)(pen, x + (width - side) / 2, y + height * 0.14, side)
        pen.text((x + width / 2, y + height * 0.76), label, font=font, fill=INK, anchor="mm")
    for column in range(1, COLUMNS):
        pen.line((_cell(column)[0], 0, _cell(column)[0], HEIGHT), fill="#A5D6A7", width=4)
    pen.line((0, HEIGHT // 2, WIDTH, HEIGHT // 2), fill="#A5D6A7", width=4)
    out = io.BytesIO()
    image.quantize(colors=64, method=Image.Quantize.FASTOCTREE).save(out, format="PNG", optimize=True)
    return out.getvalue()


def deploy(line: Line) -> str:
    """Create the menu, upload its image and make it every member's default; returns the menu id."""
    image = draw()
    if len(image) > IMAGE_LIMIT:
        raise ValueError(f"the rich-menu image is {len(image)} bytes, over LINE's 1 MB")
    return line.deploy_rich_menu(menu(), image)

