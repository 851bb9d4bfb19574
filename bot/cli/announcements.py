"""`coopbot announce` and `coopbot announcements list | show | cancel`: a center's notices from the command line.

An announcement is sent by the clock (bot.jobs.announcements) at its time, through the outbox; `show` tells
what went out, what waits and why, and what LINE refused.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from bot.cli.orders import local_time
from models.announce import (
    IMAGE_LIMIT,
    PLACE_LIMIT,
    TEXT_LIMIT,
    AnnouncementRefused,
    Draft,
    cost,
    create,
    image_kind,
    send_time,
)
from models.announce import cancel as cancel_announcement
from models.announcements import INTERESTS, NETWORKS, Announcement, replies
from models.base import BANGKOK, utcnow
from models.network import center_by_code
from models.outbox import last_quota

announcements_cli = AppGroup("announcements", help="A center's announcements: list, show, cancel.")


def _local(value: datetime) -> str:
    return f"{value.astimezone(BANGKOK):%Y-%m-%d %H:%M}"


@click.command("announce")
@click.argument("text")
@click.option("--center", "center_code", required=True, help="The center that announces (see 'coopbot centers').")
@click.option("--district", "districts", multiple=True, help="Only the members of this district (repeatable).")
@click.option("--network", type=click.Choice(NETWORKS), help="Only the members who deal in this network's goods.")
@click.option("--interest", type=click.Choice(INTERESTS), help="Only the members who raise or grow this.")
@click.option("--round", "round_id", type=int, help="Only the members with an order in this round.")
@click.option("--with-alerts", is_flag=True, help="Only the members who keep a price alert.")
@click.option("--at", "at", help="When to send, 'YYYY-MM-DD HH:MM' Thai time (default: now).")
@click.option("--every", help="Repeat by a cron rule in Thai time, e.g. '0 7 * * mon' (Mondays 07:00).")
@click.option("--meeting", help="A meeting at 'YYYY-MM-DD HH:MM' Thai time: members answer ไป / ไม่ไป.")
@click.option("--place", help="Where the meeting is (with --meeting).")
@click.option("--text-en", "text_en", help="The same announcement in English, for members who read English.")
@click.option("--image", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A JPEG or PNG shown before the text (at most 10 MB).")
@with_appcontext
def announce(text: str, center_code: str, districts: tuple[str, ...], network: str | None, interest: str | None,
             round_id: int | None, with_alerts: bool, at: str | None, every: str | None, meeting: str | None,
             place: str | None, image: Path | None, text_en: str | None) -> None:
    """A new announcement to the members a center serves: prints its id, then who gets it and what it costs."""
    now = utcnow()
    picture = image.read_bytes() if image else None
    with current_app.extensions["sessions"]() as db, db.begin():
        center = center_by_code(db, center_code)
        draft = Draft(center=center, body=text, body_en=text_en, districts=list(districts),  # type: ignore[arg-type]
                      network=network,
                      interest=interest, round_id=round_id, with_alerts=with_alerts,
                      at=local_time(at, "--at") if at else None, every=every,
                      meeting_at=local_time(meeting, "--meeting") if meeting else None, place=place, image=picture)
        try:
            send_time(draft, now)  # the text, the times and the meeting first, whatever the center
            if picture is not None:
                image_kind(picture)
            if center is None:
                raise click.ClickException(f"no center {center_code} (see 'coopbot centers')")
            announcement, members = create(db, draft, now)
        except AnnouncementRefused as refused:
            raise click.ClickException(_refusal(refused, draft, image)) from None
        left = last_quota(db)
        send_at = announcement.send_at
        click.echo(announcement.id)
    quota = "LINE's quota left this month: unknown" if left is None else f"LINE's quota left this month: {left:,}"
    repeat = f", then again by '{every}'" if every else ""
    click.echo(f"{len(members):,} members, {cost(len(members), picture is not None):,} messages at "
               f"{_local(send_at)}{repeat}; {quota}")


def _refusal(refused: AnnouncementRefused, draft: Draft, image: Path | None) -> str:
    """One line in English for what models.announce refused."""
    details = refused.details
    where = (f" in {', '.join(draft.districts)}" if draft.districts else "") \
        + (f" of the {draft.network} network" if draft.network else "") \
        + (f" who raises or grows {draft.interest}" if draft.interest else "") \
        + (f" with an order in round {draft.round_id}" if draft.round_id is not None else "") \
        + (" with a price alert" if draft.with_alerts else "")
    name = image.name if image else "the image"
    return {
        ("body", "empty"): "the announcement is empty",
        ("body", "too_long"): f"the announcement has {details.get('length', 0):,} characters; LINE takes "
                              f"{TEXT_LIMIT:,}",
        ("body_en", "too_long"): f"--text-en has {details.get('length', 0):,} characters; LINE takes {TEXT_LIMIT:,}",
        ("districts", "unknown"): f"no district {details.get('district')!r} in Phatthalung "
                                  f"({', '.join(details.get('known', []))})",
        ("at", "past"): f"{_local(draft.at) if draft.at else 'the time'} has passed: give a time to come, or leave "
                        "--at out to send now",
        ("every", "never_fires"): f"--every {draft.every!r} never fires: give a cron rule of five fields, minute "
                                  "hour day month weekday, e.g. '0 7 * * mon' for Mondays 07:00",
        ("meeting", "before_sending"): f"the meeting at {_local(draft.meeting_at) if draft.meeting_at else ''} "
                                       "would be over before the announcement goes out",
        ("meeting", "missing"): "a meeting needs both --meeting (its time) and --place",
        ("place", "missing"): "a meeting needs both --meeting (its time) and --place",
        ("place", "too_long"): f"the place has {details.get('length', 0):,} characters; at most {PLACE_LIMIT}",
        ("image", "too_big"): f"{name} has {details.get('size', 0):,} bytes; LINE takes images up to {IMAGE_LIMIT:,}",
        ("image", "not_an_image"): f"{name} is not a JPEG or PNG image, the kinds LINE shows",
        ("round", "unknown"): f"no round {draft.round_id} (see 'coopbot rounds list')",
        ("audience", "nobody"): f"nobody would get it: {draft.center.code} serves no registered member{where}",
    }.get((refused.field, refused.reason), str(refused))


@announcements_cli.command("list")
def list_announcements() -> None:
    """Every announcement, newest first, with its status and counts."""
    with current_app.extensions["sessions"]() as db:
        for item in db.scalars(select(Announcement).order_by(Announcement.send_at.desc(), Announcement.id.desc())):
            click.echo(f"{item.id:>5}  {item.status:<9}  {_local(item.send_at)}  {item.center.code:<14}"
                       f"  {item.delivered}/{item.recipients} sent  {item.body[:40]!r}")


@announcements_cli.command("show")
@click.argument("announcement_id", type=int)
def show(announcement_id: int) -> None:
    """Its status, delivered / held / failed counts, and why any wait."""
    with current_app.extensions["sessions"]() as db:
        item = db.get(Announcement, announcement_id)
        if item is None:
            raise click.ClickException(f"no announcement {announcement_id}")
        click.echo(f"announcement {item.id}: {item.status}, {item.center.code}, at {_local(item.send_at)}")
        if item.districts:
            click.echo(f"districts: {', '.join(item.districts)}")
        if item.network or item.interest:
            click.echo(f"audience: {item.network or ''}{' ' if item.network and item.interest else ''}"
                       f"{item.interest or ''}")
        if item.every:
            click.echo(f"repeats: {item.every}")
        if item.meeting_at is not None:
            going, not_going = replies(db, item.id)
            click.echo(f"meeting {_local(item.meeting_at)} at {item.place}: {len(going)} going, "
                       f"{len(not_going)} not going")
            if going:
                click.echo("going: " + ", ".join(m.name or m.display_name or m.line_user_id for m in going))
        click.echo(f"recipients {item.recipients}, delivered {item.delivered}, held {item.held}, failed {item.failed}")
        if item.held and item.held_reason:
            until = f" until {_local(item.held_until)}" if item.held_until else ""
            click.echo(f"held: {item.held_reason}{until}")
        click.echo(item.body)


@announcements_cli.command("cancel")
@click.argument("announcement_id", type=int)
def cancel(announcement_id: int) -> None:
    """Cancel an announcement that has not gone out yet."""
    with current_app.extensions["sessions"]() as db, db.begin():
        try:
            cancel_announcement(db, announcement_id)
        except AnnouncementRefused as refused:
            if refused.reason == "unknown":
                raise click.ClickException(f"no announcement {announcement_id}") from None
            raise click.ClickException(f"announcement {announcement_id} is {refused.details['status']}: only one "
                                       "not sent yet can be cancelled") from None
    click.echo(f"announcement {announcement_id} cancelled")
