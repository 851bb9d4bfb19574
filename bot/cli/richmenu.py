"""`coopbot richmenu`: the rich menu under the chat (drawn and deployed by bot.render.richmenu)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

richmenu_cli = AppGroup("richmenu", help="The rich menu under the chat.")


@richmenu_cli.command("deploy")
def deploy_command() -> None:
    """Create the six-button Thai rich menu, upload its image and set it as the default."""
    from bot.line import LineError
    from bot.render.richmenu import deploy

    try:
        menu_id = deploy(current_app.extensions["line"])
    except LineError as exc:
        raise click.ClickException(" ".join(f"LINE refused the rich menu: {exc}".split())) from None
    click.echo(f"rich menu {menu_id} is now the default")


@richmenu_cli.command("draw", with_appcontext=False)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("richmenu.png"))
def draw_command(output: Path) -> None:
    """Write the menu image to a file, to look at it before deploying."""
    from bot.render.richmenu import HEIGHT, WIDTH, draw

    image = draw()
    output.write_bytes(image)
    click.echo(f"{output}: {WIDTH}x{HEIGHT}, {len(image):,} bytes")
