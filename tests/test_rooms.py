"""The house's rooms: bot/ is a few packages that say what they hold, bot/ meets handlers/ in two places only
(the routing table and the dispatcher), and the code points at nothing outside the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_architecture import imported

ROOT = Path(__file__).resolve().parents[1]
BOT = ROOT / "bot"
LOOSE_AT_MOST = 12
MEETS_HANDLERS = {BOT / "routes.py", BOT / "dispatch.py"}
ROOMS = {"cli", "importers", "jobs", "line", "nlu", "render", "sandbox", "seed", "web"}  # and migrations (Alembic's)
CODE = sorted(p for folder in ("bot", "handlers", "models") for p in (ROOT / folder).rglob("*.py"))


def test_bot_has_a_few_loose_modules_and_its_rooms() -> None:
    loose = sorted(p.name for p in BOT.glob("*.py"))
    assert len(loose) <= LOOSE_AT_MOST, loose
    rooms = {p.name for p in BOT.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert rooms == ROOMS, "a new room is named in README's Layout and ARCHITECTURE, and here"


@pytest.mark.parametrize("path", sorted(BOT.rglob("*.py")), ids=lambda p: str(p.relative_to(BOT)))
def test_only_the_routing_table_and_the_dispatcher_import_handlers(path: Path) -> None:
    if path in MEETS_HANDLERS:
        return
    found = {name for name in imported(path) if name == "handlers" or name.startswith("handlers.")}
    assert not found, f"bot/{path.relative_to(BOT)} imports {found}: reach handlers through bot.routes"


@pytest.mark.parametrize("path", CODE, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_code_points_inside_the_repository(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for outside in ('../' + 'shared', "DESIGN.md", "DOMAIN.md"):  # spelt so that a grep for it finds no test
        assert outside not in text, f"{path.relative_to(ROOT)} points at {outside}, which a clone does not have"
