"""News from the centers, who to call, and members' answers to meetings (coordinators write announcements in
handlers.broadcast)."""

from __future__ import annotations

from datetime import datetime

from linebot.v3.messaging import Message

from bot.nlu import Intent
from handlers import Turn, fmt
from handlers.price_ui import Translate
from handlers.ui import N_, Button, main_actions, reply
from models.announcements import Announcement, answer, authored_by, recent_for
from models.base import BANGKOK
from models.member import NOTICE_KINDS, wants
from models.member import mute as mute_member
from models.network import Center, network_center
from models.outbox import next_month


def news(turn: Turn, intent: Intent) -> list[Message]:
    _ = turn._
    items = recent_for(turn.db, turn.member)
    if not items:
        return reply(_("There are no announcements yet. We will let you know when a center posts one."),
                     main_actions(_))
    lines = [_("Latest announcements:")]
    for item in items:
        when = fmt.day(item.send_at.astimezone(BANGKOK), turn.locale)
        lines.append(f"• {when} · {item.center.name(turn.locale)}\n{item.body}")
    own = authored_by(turn.db, turn.member) if turn.member.role in ("coordinator", "admin") else []
    if own:
        lines.append(_("Your announcements:"))
        lines += [progress(_, turn.locale, item, turn.now) for item in own]
    return reply("\n\n".join(lines), main_actions(_))


def progress(_: Translate, locale: str, announcement: Announcement, now: datetime) -> str:
    """How an announcement went, as its author reads it: delivered, waiting and why, refused."""
    when = fmt.day(announcement.send_at.astimezone(BANGKOK), locale)
    lines = [_("• {when}: {body}").format(when=when, body=fmt.shortened(announcement.body, 40))]
    if announcement.status in ("draft", "scheduled", "cancelled"):
        lines.append({"draft": _("not sent"), "cancelled": _("not sent"),
                      "scheduled": _("to be sent {when}").format(
                          when=fmt.moment(announcement.send_at.astimezone(BANGKOK), locale))}[announcement.status])
        return "\n".join(lines)
    lines.append(_("Delivered to {n} of {total} members").format(
        n=fmt.number(announcement.delivered), total=fmt.number(announcement.recipients)))
    if announcement.held:
        until = announcement.held_until.astimezone(BANGKOK) if announcement.held_until else None
        if announcement.held_reason and "monthly" in announcement.held_reason:
            why = _("this month's LINE messages are used up; it goes on {when}, or sooner if more messages are "
                    "bought").format(when=fmt.day(next_month(now), locale))
        elif until:
            why = _("LINE asked us to wait; trying again at {when}").format(when=fmt.moment(until, locale))
        else:
            why = _("being sent now")
        lines.append(_("Waiting: {n} members ({why})").format(n=fmt.number(announcement.held), why=why))
    if announcement.failed:
        lines.append(_("LINE refused {n} members (they may have left LINE)").format(
            n=fmt.number(announcement.failed)))
    return "\n".join(lines)


def contact(turn: Turn, intent: Intent) -> list[Message]:
    _ = turn._
    centers: list[Center] = [c for c in (turn.member.cooperative, network_center(turn.db, "rubber"),
                                         network_center(turn.db, "rice_fertilizer")) if c is not None]
    if not centers:
        return reply(_("Please register first so that I know your cooperative. Type \"register\"."),
                     [(_("Register"), Intent("register"))])
    lines = [_("Who to contact:")]
    for center in dict.fromkeys(centers):
        phone = center.phone or _("no phone number on file yet")
        lines.append(_("• {name}\n  Phone: {phone}").format(name=center.name(turn.locale), phone=phone))
        if center.address:
            lines.append("  " + _("Address: {address}").format(address=center.address))
        if center.pickup_hours:
            lines.append("  " + _("Pickup hours: {hours}").format(hours=center.pickup_hours))
    return reply("\n".join(lines), main_actions(_))


def meeting_reply(turn: Turn, intent: Intent) -> list[Message]:
    """ไป / ไม่ไป pressed under a meeting: kept once a member, a second press changes the answer."""
    _ = turn._
    meeting = turn.db.get(Announcement, intent.slots.get("announcement"))
    if meeting is None or meeting.meeting_at is None or not isinstance(intent.slots.get("going"), bool):
        return reply(_("That meeting is not known any more."), main_actions(_))
    if meeting.meeting_at <= turn.now:
        return reply(_("That meeting has already taken place."), main_actions(_))
    going = answer(turn.db, meeting.id, turn.member.id, bool(intent.slots["going"]), turn.acted_at or turn.now)
    said = _("Noted: you will come.") if going else _("Noted: you cannot come.")
    return reply(said + " " + _("{moment}, at {place}. You can change your answer with the buttons.").format(
        moment=fmt.moment(meeting.meeting_at.astimezone(BANGKOK), turn.locale), place=meeting.place))


KIND_NAMES = {"feed": N_("Animal feed rounds"), "acid": N_("Formic acid rounds"), "fertilizer": N_("Fertilizer rounds"),
              "rice": N_("Rice rounds"), "piglet": N_("Piglet rounds"), "rubber": N_("Selling rubber together"),
              "news": N_("News from the cooperatives")}
"""the kinds of notice a member can stop (models.member.NOTICE_KINDS), as the member reads them"""


def mute(turn: Turn, intent: Intent) -> list[Message]:
    """"ไม่ต้องแจ้งเรื่องลูกหมู": that kind of notice stops (a button brings it back); with no kind named, each kind
    with a button that stops or resumes it. Only pushes stop: the member can still ask for rounds and news."""
    _ = turn._
    kind = str(intent.slots.get("kind") or intent.slots.get("product") or ("news" if intent.slots.get("news") else ""))
    if kind not in NOTICE_KINDS:
        return _mute_choices(turn)
    muted = intent.slots.get("on") != "yes"
    mute_member(turn.member, kind, muted)
    name = _(KIND_NAMES[kind])
    if muted:
        said = _("OK, I will not send you notices of: {kind}. You can still see them when you ask (press \"Group "
                 "orders\" or \"News\").").format(kind=name)
        again = (_("Send them again"), Intent("news.mute", {"kind": kind, "on": "yes"}))
    else:
        said = _("OK, I will send you notices of: {kind} again.").format(kind=name)
        again = (_("Stop them"), Intent("news.mute", {"kind": kind, "on": "no"}))
    return reply(said, [again, (_("Choose notices"), Intent("news.mute")), *main_actions(_)[:4]])


def _mute_choices(turn: Turn) -> list[Message]:
    _ = turn._
    stopped = [_(KIND_NAMES[k]) for k in NOTICE_KINDS if not wants(turn.member, k)]
    lines = [_("Which notices should I stop? Press one to stop it; press a stopped one (✕) to have it sent again.")]
    if stopped:
        lines.append(_("Stopped now: {kinds}").format(kinds=", ".join(stopped)))
    buttons: list[Button] = [
        ((("✕ " if not wants(turn.member, k) else "") + _(KIND_NAMES[k])),
         Intent("news.mute", {"kind": k, "on": "yes" if not wants(turn.member, k) else "no"})) for k in NOTICE_KINDS]
    return reply("\n".join(lines), buttons)
