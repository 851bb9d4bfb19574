"""`coopbot announce` and `coopbot announcements list | show | cancel`: a center's notices from the command line.

An announcement is sent by the clock (bot.jobs.announcements) at its time, through the outbox; `show` tells
what went out, what waits and why, and what LINE refused.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from bot.cli.orders import local_time
from models.announcements import INTERESTS, NETWORKS, Announcement, Media, audience, next_time, replies
from models.base import BANGKOK, utcnow
from models.network import DISTRICTS, center_by_code
from models.outbox import last_quota
from models.rounds import Round

TEXT_LIMIT = 5000  # LINE's, for one text message
IMAGE_LIMIT = 10 * 1024 * 1024  # LINE's, for an image message's original
IMAGE_TYPES = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png"}  # what LINE shows
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
@click.option("--at", "at", help="When to send, 'YYYY-MM-DD HH:MM' Thai time (default: now).")
@click.option("--every", help="Repeat by a cron rule in Thai time, e.g. '0 7 * * mon' (Mondays 07:00).")
@click.option("--meeting", help="A meeting at 'YYYY-MM-DD HH:MM' Thai time: members answer ไป / ไม่ไป.")
@click.option("--place", help="Where the meeting is (with --meeting).")
@click.option("--alerts", "alert_holders", is_flag=True, help="Only the members with a price alert.")
@click.option("--text-en", "text_en", help="The same announcement in English, for members who read English.")
@click.option("--image", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A JPEG or PNG shown before the text (at most 10 MB).")
@with_appcontext
def announce(text: str, center_code: str, districts: tuple[str, ...], network: str | None, interest: str | None,
             round_id: int | None, at: str | None, every: str | None, meeting: str | None, place: str | None,
             image: Path | None, text_en: str | None, alert_holders: bool) -> None:
    """A new announcement to the members a center serves: prints its id, then who gets it and what it costs."""
    body = text.strip()
    if not body:
        raise click.ClickException("the announcement is empty")
    if len(body) > TEXT_LIMIT:
        raise click.ClickException(f"the announcement has {len(body):,} characters; LINE takes {TEXT_LIMIT:,}")
    english = (text_en or "").strip() or None
    if english and len(english) > TEXT_LIMIT:
        raise click.ClickException(f"--text-en has {len(english):,} characters; LINE takes {TEXT_LIMIT:,}")
    known = dict(DISTRICTS)
    for district in districts:
        if district not in known:
            raise click.ClickException(f"no district {district!r} in Phatthalung ({', '.join(known)})")
    now = utcnow()
    send_at = local_time(at, "--at") if at else now
    if at and send_at <= now:
        raise click.ClickException(f"{at} has passed: give a time to come, or leave --at out to send now")
    if every:
        first = next_time(every, send_at - timedelta(seconds=1) if at else now)
        if first is None:
            raise click.ClickException(f"--every {every!r} never fires: give a cron rule of five fields, minute "
                                       "hour day month weekday, e.g. '0 7 * * mon' for Mondays 07:00")
        send_at = first if not at else send_at
    meeting_at = local_time(meeting, "--meeting") if meeting else None
    if meeting_at is not None and meeting_at <= send_at:
        raise click.ClickException(f"the meeting at {meeting} would be over before the announcement goes out")
    if bool(meeting) != bool(place and place.strip()):
        raise click.ClickException("a meeting needs both --meeting (its time) and --place")
    picture = _image(image) if image else None
    with current_app.extensions["sessions"]() as db, db.begin():
        center = center_by_code(db, center_code)
        if center is None:
            raise click.ClickException(f"no center {center_code} (see 'coopbot centers')")
        if round_id is not None and db.get(Round, round_id) is None:
            raise click.ClickException(f"no round {round_id} (see 'coopbot rounds list')")
        members = audience(db, center, None, list(districts) or None, round_id, network, interest, alert_holders)
        if not members:
            raise click.ClickException(f"nobody would get it: {center.code} serves no registered member"
                                       + (f" in {', '.join(districts)}" if districts else "")
                                       + (f" of the {network} network" if network else "")
                                       + (f" who raises or grows {interest}" if interest else "")
                                       + (" with a price alert" if alert_holders else "")
                                       + (f" with an order in round {round_id}" if round_id is not None else ""))
        media = None
        if picture is not None:
            media = Media(content_type=picture[0], data=picture[1])
            db.add(media)
            db.flush()
        announcement = Announcement(center_id=center.id, body=body, body_en=english, send_at=send_at,
                                    status="scheduled", districts=list(districts) or None, round_id=round_id,
                                    network=network, interest=interest, alert_holders=alert_holders, every=every,
                                    meeting_at=meeting_at, place=place.strip() if place else None,
                                    image_id=media.id if media else None)
        db.add(announcement)
        db.flush()
        left = last_quota(db)
        click.echo(announcement.id)
    quota = "LINE's quota left this month: unknown" if left is None else f"LINE's quota left this month: {left:,}"
    cost = len(members) * (2 if picture else 1)
    repeat = f", then again by '{every}'" if every else ""
    click.echo(f"{len(members):,} members, {cost:,} messages at {_local(send_at)}{repeat}; {quota}")


def _image(path: Path) -> tuple[str, bytes]:
    data = path.read_bytes()
    if len(data) > IMAGE_LIMIT:
        raise click.ClickException(f"{path.name} has {len(data):,} bytes; LINE takes images up to {IMAGE_LIMIT:,}")
    kind = next((kind for magic, kind in IMAGE_TYPES.items() if data.startswith(magic)), None)
    if kind is None:
        raise click.ClickException(f"{path.name} is not a JPEG or PNG image, the kinds LINE shows")
    return kind, data


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
        item = db.get(Announcement, announcement_id, with_for_update=True)
        if item is None:
            raise click.ClickException(f"no announcement {announcement_id}")
        if item.status not in ("draft", "scheduled"):
            raise click.ClickException(f"announcement {announcement_id} is {item.status}: only one not sent yet "
                                       "can be cancelled")
        item.status = "cancelled"
    click.echo(f"announcement {announcement_id} cancelled")
