"""News from the centers, who to call, and coordinators' announcements to the members they serve."""

from __future__ import annotations

from datetime import datetime, timedelta

from linebot.v3.messaging import Message

from bot.nlu import Intent
from handlers import Turn, fmt
from handlers.forms import Ask, Form, Problem, Slots
from handlers.price_ui import Translate
from handlers.ui import main_actions, reply
from models.announcements import Announcement, answer, audience, authored_by, recent_for
from models.base import BANGKOK
from models.network import Center, network_center
from models.outbox import last_quota, next_month

BODY_LIMIT = 2000
MORNING_HOUR = 7


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


def _ask_body(turn: Turn, slots: Slots) -> list[Message]:
    center = turn.member.center
    return reply(turn._("Type the announcement for the members of {center}. Type \"cancel\" to stop.").format(
        center=center.name(turn.locale) if center else ""))


def _read_body(turn: Turn, intent: Intent, slots: Slots, answering: bool) -> str | None:
    """The text as typed: the whole message when it answers "type the announcement", else what follows the
    command in "ประกาศ <text>"."""
    body = str(slots.get("body") or (intent.text if answering else slots.get("announcement")) or "").strip()
    if len(body) > BODY_LIMIT:
        raise Problem(reply(turn._("That is too long ({n} characters). Please keep it under {limit} characters and "
                                   "type it again.").format(n=fmt.number(len(body)), limit=fmt.number(BODY_LIMIT))))
    return body or None


BROADCAST = Form("broadcast", (Ask("body", _ask_body, _read_body),), free_text=frozenset({"body"}),
                 confirms_commands=frozenset({"body"}))


def broadcast(turn: Turn, intent: Intent) -> list[Message]:
    """Coordinator: type the text (or "ประกาศ <text>" in one line), see who gets it, then send now or tomorrow
    morning."""
    _ = turn._
    center = turn.member.center
    if center is None:
        return reply(_("Your account is not linked to a center yet. Ask an admin to set it."))
    draft_id = intent.slots.get("draft")
    if draft_id is not None:
        return _decide(turn, intent, center, str(draft_id))
    return BROADCAST.run(turn, intent, lambda turn, slots: _draft(turn, center, slots["body"]))


def _draft(turn: Turn, center: Center, body: str) -> list[Message]:
    _ = turn._
    turn.finish()
    draft = Announcement(center_id=center.id, author_id=turn.member.id, body=body, send_at=turn.now, status="draft")
    turn.db.add(draft)
    turn.db.flush()
    count = len(audience(turn.db, center, turn.member.id))
    question = _("Send this to {n} members of {center}?\n\n{body}").format(
        n=fmt.number(count), center=center.name(turn.locale), body=body)
    warning = quota_warning(turn, count)
    return reply(question + (f"\n\n{warning}" if warning else ""), [
        (_("Send now"), Intent("broadcast", {"draft": draft.id, "when": "now"})),
        (_("Tomorrow 07:00"), Intent("broadcast", {"draft": draft.id, "when": "morning"})),
        (_("Don't send"), Intent("broadcast", {"draft": draft.id, "when": "never"})),
    ])


def _decide(turn: Turn, intent: Intent, center: Center, draft_id: str) -> list[Message]:
    _ = turn._
    draft = turn.db.get(Announcement, int(draft_id)) if draft_id.isdigit() else None
    if draft is None or draft.center_id != center.id:
        return reply(_("I could not find that announcement. Type \"announce\" to write a new one."))
    if draft.status != "draft":
        return reply(_("This announcement was already handled."))
    when = intent.slots.get("when")
    if when == "never":
        draft.status = "cancelled"
        return reply(_("OK, the announcement was not sent."), main_actions(_))
    if when == "morning":
        local = turn.now.astimezone(BANGKOK) + timedelta(days=1)
        draft.send_at = local.replace(hour=MORNING_HOUR, minute=0, second=0, microsecond=0)
        draft.status = "scheduled"
        return reply(_("Scheduled for {when}.").format(when=fmt.moment(draft.send_at.astimezone(BANGKOK), turn.locale)))
    draft.send_at, draft.status = turn.now, "scheduled"
    count = len(audience(turn.db, center, turn.member.id))
    sending = _("Sending now to {n} members of {center}. I will tell you when it has gone out.").format(
        n=fmt.number(count), center=center.name(turn.locale))
    warning = quota_warning(turn, count)
    return reply(sending + (f"\n{warning}" if warning else ""))


def quota_warning(turn: Turn, count: int) -> str:
    """Said before and when sending, if LINE's messages left this month (as last read) do not cover all."""
    left = last_quota(turn.db)
    if left is None or count <= left:
        return ""
    return turn._("LINE has {left} messages left this month: {rest} members will get it on {when}, when "
                  "the month's messages start again.").format(
        left=fmt.number(left), rest=fmt.number(count - left),
        when=fmt.day(next_month(turn.now), turn.locale))


def meeting_reply(turn: Turn, intent: Intent) -> list[Message]:
    """ไป / ไม่ไป pressed under a meeting: kept once a member, a second press changes the answer."""
    _ = turn._
    meeting = turn.db.get(Announcement, intent.slots.get("announcement"))
    if meeting is None or meeting.meeting_at is None or not isinstance(intent.slots.get("going"), bool):
        return reply(_("That meeting is not known any more."), main_actions(_))
    if meeting.meeting_at <= turn.now:
        return reply(_("That meeting has already taken place."), main_actions(_))
    going = bool(intent.slots["going"])
    answer(turn.db, meeting.id, turn.member.id, going, turn.now)
    said = _("Noted: you will come.") if going else _("Noted: you cannot come.")
    return reply(said + " " + _("{moment}, at {place}. You can change your answer with the buttons.").format(
        moment=fmt.moment(meeting.meeting_at.astimezone(BANGKOK), turn.locale), place=meeting.place))
