"""The `coopbot` command line (a Flask CLI group, so `flask --app bot` works too).

It starts in well under a second for what does not read Thai: the groups in other modules are imported only
when named (`LAZY`), and nothing here or in the app factory loads the LINE SDK, the handlers or pythainlp
until a command uses them (tests/bot/test_cli_startup.py)."""

from __future__ import annotations

import importlib
import json
import sys
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup

from bot import create_app
from bot.settings import ConfigError

# Command name -> "module:attribute", imported at first use.
LAZY = {
    "announce": "bot.cli.announcements:announce",
    "announcements": "bot.cli.announcements:announcements_cli",
    "orders": "bot.cli.orders:orders_cli",
    "prices": "bot.cli.prices:prices_cli",
    "richmenu": "bot.cli.richmenu:richmenu_cli",
    "rounds": "bot.cli.orders:rounds_cli",
}


def _create_app() -> Flask:
    try:
        return create_app(serving=False)  # read-only commands run without SECRET_KEY; the others ask for it
    except ConfigError as exc:
        click.echo(f"coopbot: {exc}", err=True)
        sys.exit(2)


class _Commands(FlaskGroup):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in LAZY and name not in self.commands:
            module, attribute = LAZY[name].split(":")
            self.add_command(getattr(importlib.import_module(module), attribute), name)
        return super().get_command(ctx, name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ConfigError as exc:  # e.g. SECRET_KEY asked for by a command that signs or encrypts
            click.echo(f"coopbot: {exc}", err=True)
            sys.exit(2)


def fail(message: str) -> None:
    """Stop with one clear line and a non-zero exit."""
    raise click.ClickException(message)


@click.group(cls=_Commands, create_app=_create_app, add_default_commands=False, add_version_option=False)
def cli() -> None:
    """Phatthalung cooperative LINE bot."""


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
def serve(host: str, port: int) -> None:
    """Run the web app, and the scheduler in-process for the embedded (SQLite) default.

    Where it can be reached (PUBLIC_BASE_URL, else the address it bound) is noted in instance/served_url
    for `coopbot admin link`."""
    import threading

    from werkzeug.serving import make_server

    from bot import nlu
    from bot.jobs import scheduler
    from bot.web.admin import record_served_url

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    settings = app.config["SETTINGS"]
    settings.require_secret_key()  # the web app signs its session cookies with it
    # Built now, and the first Thai read (the reader trained on a first start), not on the first member's time
    _ = app.extensions["dispatcher"], app.extensions["outbox"]
    nlu.understand("สวัสดีครับ")
    server = make_server(host, port, app, threaded=True)
    url = settings.public_base_url if settings.public_base_url_set else _http_url(host, server.server_port)
    record_served_url(settings, url)
    if settings.database_url.startswith("sqlite"):
        scheduler.start_background(app)
    elif settings.scheduler:  # on PostgreSQL it runs the jobs only while no other clock does (bot.jobs.leader)
        threading.Thread(target=scheduler.run_blocking, args=(app,), name="clock", daemon=True).start()
    if settings.sandbox:
        click.echo(f"Sandbox chat: {_http_url(host, server.server_port)}/sandbox")
    server.log_startup()
    server.serve_forever()


def _http_url(host: str, port: int) -> str:
    """A URL a browser on this machine can open for the address the server bound."""
    host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


@cli.command("clock")
def clock() -> None:
    """Run the scheduler alone. On PostgreSQL it runs the jobs only while it holds the clocks' advisory lock:
    a second clock waits and takes over when the first stops or dies."""
    from bot.jobs import scheduler

    current_app.extensions["channel"].token()  # a token stored from the admin page needs SECRET_KEY: say so now
    scheduler.run_blocking(current_app._get_current_object())  # type: ignore[attr-defined]


db_group = AppGroup("db", help="Database migrations.")
cli.add_command(db_group)


@db_group.command("upgrade")
def db_upgrade() -> None:
    """Apply every migration to DATABASE_URL."""
    from bot import migrate

    migrate.upgrade(current_app.extensions["engine"])
    click.echo("database is up to date")


@cli.command("seed")
@click.option("--demo", is_flag=True, help="Also add products, open rounds and a price history.")
def seed(demo: bool) -> None:
    """Load the real Phatthalung network (idempotent)."""
    from bot import seed as seeding

    with current_app.extensions["sessions"]() as db, db.begin():
        counts = seeding.network(db)
        if demo:
            counts.update(seeding.demo(db, current_app.config["SETTINGS"]))
    click.echo(", ".join(f"{name}: {count}" for name, count in counts.items()))


@cli.command("parse", with_appcontext=False, context_settings={"ignore_unknown_options": True})
@click.argument("texts", nargs=-1, type=click.UNPROCESSED)  # a message may start with "-": "-5 กระสอบ"
def parse(texts: tuple[str, ...]) -> None:
    """Thai understanding as JSON lines: the arguments, or one message a line from standard input."""
    from bot import nlu

    lines = texts or tuple(line.rstrip("\n") for line in sys.stdin)
    for text in lines:
        if not text.strip() and not texts:
            continue
        intent = nlu.parse(text)
        row: dict[str, Any] = {"text": text, "intent": intent.name, "slots": dict(intent.slots)}
        click.echo(json.dumps(row, ensure_ascii=False))


members_group = AppGroup("members", help="Members and their roles.")
cli.add_command(members_group)


@members_group.command("role")
@click.argument("line_user_id")
@click.argument("role", type=click.Choice(["member", "coordinator", "admin"]))
@click.option("--center", "center_code", help="The center a coordinator works for (its code).")
def members_role(line_user_id: str, role: str, center_code: str | None) -> None:
    """Make a member a coordinator of a center, or admin, or member again."""
    from models.member import RoleError, member_by_line_id, set_role
    from models.network import center_by_code

    with current_app.extensions["sessions"]() as db, db.begin():
        member = member_by_line_id(db, line_user_id)
        if member is None:
            fail(f"no member with LINE user id {line_user_id}")
            return
        center = center_by_code(db, center_code) if center_code else None
        if center_code and center is None:
            fail(f"no center with code {center_code} (see 'coopbot centers')")
        try:
            set_role(member, role, center)
        except RoleError:  # the one rule the command line can break: a coordinator without a center
            fail("a coordinator needs --center CODE")
    click.echo(f"{line_user_id} is now {role}" + (f" of {center_code}" if center_code else ""))


@cli.command("centers")
def centers() -> None:
    """List the coordination centers and their codes."""
    from sqlalchemy import select

    from models.network import Center

    with current_app.extensions["sessions"]() as db:
        for center in db.scalars(select(Center).order_by(Center.id)):
            click.echo(f"{center.code:14} {center.level:11} {center.name_th}")


admin_group = AppGroup("admin", help="The admin web page.")
cli.add_command(admin_group)


@admin_group.command("link")
@click.argument("line_user_id")
def admin_link(line_user_id: str) -> None:
    """Print a single-use sign-in link to the staff console for an admin or a coordinator (valid 15 minutes).

    The link starts with PUBLIC_BASE_URL when it is set, else with the address `coopbot serve` last served
    on (it notes it in instance/served_url), else http://127.0.0.1:8000."""
    from bot.web.admin import console_base_url, login_link
    from bot.web.admin.auth import may_sign_in
    from models.member import member_by_line_id

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    with current_app.extensions["sessions"]() as db:
        member = member_by_line_id(db, line_user_id)
        if member is None or not may_sign_in(member):
            fail(f"{line_user_id} is not an admin or a coordinator of a center (make one with 'coopbot members role "
                 f"{line_user_id} admin' or '... coordinator --center CODE')")
            return
    click.echo(login_link(app, member, console_base_url(app.config["SETTINGS"])))


def main() -> None:
    cli(prog_name="coopbot")
