"""The house's walls (DESIGN.md): understanding lives in one place. bot.nlu reads the member's words and is a
leaf; handlers receive slots and never read text again, so none of them has a regular expression. And
conversations are declarations: handlers.forms keeps every open question, no handler its own."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HANDLERS = sorted((ROOT / "handlers").rglob("*.py"))
NLU = sorted((ROOT / "bot" / "nlu").rglob("*.py"))
PATTERN_MODULES = {"re", "regex", "fnmatch"}
# what bot.nlu may not import: the rest of the house, the web stack, the SDK, the database
NOT_FOR_NLU = ("handlers", "models", "bot", "flask", "linebot", "sqlalchemy", "werkzeug")


def imported(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function, as written (absolute imports)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level:
            names.add("." * node.level + (node.module or ""))
    return names


def test_there_are_modules_to_check() -> None:
    assert len(HANDLERS) > 10 and len(NLU) > 5


@pytest.mark.parametrize("path", HANDLERS, ids=lambda p: p.name)
def test_no_handler_imports_a_pattern_module(path: Path) -> None:
    found = {name for name in imported(path) if name.split(".")[0] in PATTERN_MODULES}
    assert not found, f"{path.name} imports {found}: reading the member's words is bot.nlu's job"


@pytest.mark.parametrize("path", HANDLERS, ids=lambda p: p.name)
def test_no_handler_uses_re_on_text(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    used = [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "re"]
    assert not used, f"{path.name} uses re. on lines {used}: read it in bot.nlu and hand the handler a slot"


@pytest.mark.parametrize("path", NLU, ids=lambda p: p.name)
def test_the_nlu_imports_nothing_of_the_house_but_itself(path: Path) -> None:
    found = {name for name in imported(path)
             if name.split(".")[0] in NOT_FOR_NLU and not (name == "bot.nlu" or name.startswith("bot.nlu."))}
    assert not found, f"bot/nlu/{path.name} imports {found}: bot.nlu is a leaf that handlers and bot import"


def test_intent_is_imported_from_bot_nlu() -> None:
    sources = [p for folder in ("bot", "handlers", "models", "tests", "bench") for p in (ROOT / folder).rglob("*.py")]
    wrong = sorted(str(p.relative_to(ROOT)) for p in sources if "handlers.Intent" in imported(p))
    assert not wrong, f"{wrong}: Intent is bot.nlu's (from bot.nlu import Intent)"


def test_thai_digits_are_converted_in_one_place() -> None:
    thai_digits = "๐๑๒๓๔๕๖๗๘๙"
    sources = [p for folder in ("bot", "handlers", "models") for p in (ROOT / folder).rglob("*.py")]
    converting = sorted(str(p.relative_to(ROOT)) for p in sources if thai_digits in p.read_text(encoding="utf-8"))
    assert converting == ["bot/nlu/normalize.py"]


def _loaded(code: str) -> set[str]:
    probe = code + "\nimport sys\nprint(' '.join(sorted(sys.modules)))"
    # the reader the session trained (tests/conftest.py) is read from the same cache: without it, a fresh machine
    # would train it again here, under this test's time limit
    kept = {name: os.environ[name] for name in ("HOME", "XDG_CACHE_HOME") if name in os.environ}
    env = {"PYTHAINLP_OFFLINE": "1", "PYTHAINLP_READ_ONLY": "1", "PATH": "/usr/bin:/bin", **kept}
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, check=True, capture_output=True,
                          text=True)
    return set(done.stdout.split())


def test_parsing_loads_no_web_stack_and_nothing_of_the_house() -> None:
    loaded = _loaded("import bot.nlu\nbot.nlu.understand('สั่งอาหารหมูซีพี 6 กระสอบ')")
    heavy = {name for name in loaded if name.split(".")[0] in ("flask", "linebot", "sqlalchemy", "handlers",
                                                               "models", "werkzeug")}
    assert not heavy
    assert {name for name in loaded if name.startswith("bot.")} <= {
        "bot.nlu", *(f"bot.nlu.{p.stem}" for p in NLU if p.stem != "__init__")}


def test_an_intent_alone_costs_no_lexicon() -> None:
    loaded = _loaded("from bot.nlu import Intent\nIntent('help').to_postback()")
    assert "pythainlp" not in loaded and "bot.nlu.lexicon" not in loaded


FORMS = ROOT / "handlers" / "forms.py"
TURN = ROOT / "handlers" / "__init__.py"  # where Turn itself is defined
# what keeps a question open: Turn.expect writes it, Turn.pending reads it, models.conversation holds it
OPEN_QUESTION = ("expect", "pending")


def open_question_uses(source: str, name: str = "<source>") -> list[str]:
    """Where a module keeps or reads the open question itself: `.expect(` or `.pending` on anything (turn.pending,
    self.turn.expect), or an import of models.conversation."""
    tree = ast.parse(source, name)
    found = [f"line {node.lineno}: .{node.attr}" for node in ast.walk(tree)
             if isinstance(node, ast.Attribute) and node.attr in OPEN_QUESTION]
    found += [f"line {node.lineno}: imports models.conversation" for node in ast.walk(tree)
              if (isinstance(node, ast.ImportFrom) and not node.level
                  and (node.module == "models.conversation"
                       or (node.module == "models" and any(a.name == "conversation" for a in node.names))))
              or (isinstance(node, ast.Import) and any(a.name == "models.conversation" for a in node.names))]
    return found


def test_the_open_question_check_sees_what_it_looks_for() -> None:
    assert open_question_uses("def f(turn):\n    return turn.pending.slots") == ["line 2: .pending"]
    assert open_question_uses("def f(turn):\n    turn.expect('x', {}, 'y')") == ["line 2: .expect"]
    assert open_question_uses("from models import conversation") == ["line 1: imports models.conversation"]
    assert open_question_uses("def f(turn):\n    return FORM.awaiting(turn)") == []


@pytest.mark.parametrize("path", [p for p in HANDLERS if p not in (FORMS, TURN)], ids=lambda p: p.name)
def test_no_handler_keeps_its_own_open_question(path: Path) -> None:
    found = open_question_uses(path.read_text(encoding="utf-8"), str(path))
    assert not found, (f"{path.name} keeps its own question and answer ({', '.join(found)}): declare a Form "
                       "(handlers.forms) and let Form.run, Form.wait and Form.open keep it")
