"""One event's way through the house, once bot.line.events has read it: record it, find the member, understand, route,
reply once."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from linebot.v3.messaging import Message
from linebot.v3.webhooks import (
    Event,
    EventMode,
    FollowEvent,
    JoinEvent,
    MessageEvent,
    PostbackEvent,
    TextMessageContent,
    UnfollowEvent,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from bot import nlu
from bot.i18n import translator
from bot.line import Line, Profile
from bot.line.events import clean
from bot.line.replies import Replies
from bot.nlu import Intent
from bot.routes import ADMIN, ANYONE, BY_INTENT, COORDINATOR, MEMBER, Route
from handlers import Turn, basic, fmt, register
from handlers.forms import Form
from handlers.ui import Button, main_actions, reply, text
from models import conversation
from models.events import claim_event
from models.member import Member, member_by_line_id

log = logging.getLogger(__name__)
# Where free text is awaited, a message of a few words that reads as a request ("ปิดรอบ", "ตั้งราคาน้ำยาง 58",
# "สวัสดีครับ") may be meant for the bot: the member is asked (Dispatcher.which). A longer one is the text.
COMMAND_WORDS = 4


def form_of(intent: str) -> Form:
    """The conversation an intent declares (handlers.forms), or a plain one."""
    route = BY_INTENT.get(intent)
    return route.form if route is not None and route.form is not None else Form(intent)


Start = tuple[Member | None, conversation.Conversation | None]  # the member and their open question


def _user(event: Event) -> str:
    """The user a one-to-one chat's event comes from; "" for a group's, a room's or none."""
    source = event.source
    if source is None or getattr(source, "type", None) != "user":
        return ""
    return getattr(source, "user_id", None) or ""


def _turn_user(event: Event) -> str:
    """The member whose turn the event starts: a follow, a postback or a message in their one-to-one chat."""
    return _user(event) if isinstance(event, FollowEvent | PostbackEvent | MessageEvent) else ""


class _Newcomer(Exception):
    """A user the bot has not met: their LINE profile is fetched before the event's transaction begins."""

    def __init__(self, user_id: str) -> None:
        super().__init__(user_id)
        self.user_id = user_id


class Dispatcher:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        line: Line,
        clock: Callable[[], datetime] | None = None,
        image_base_url: str = "",
        console_url: Callable[[], str] = lambda: "",
        replies: Replies | None = None,
    ):
        self.sessions = sessions
        self.line = line
        self.replies = replies or Replies(line, senders=0)
        self.clock = clock or (lambda: datetime.now(UTC))
        self.image_base_url = image_base_url
        self.console_url = console_url

    def handle(self, event: Event) -> None:
        """Handle one event in its own transaction, then send the replies once."""
        event_id = getattr(event, "webhook_event_id", None)
        event_type = getattr(event, "type", None) or type(event).__name__
        reply_token = getattr(event, "reply_token", None)
        standby = getattr(event, "mode", None) == EventMode.STANDBY
        replies: list[Message] = []
        profiles: dict[str, Profile | None] = {}
        reconnected = False
        try:
            while True:
                try:
                    with self.sessions() as db, db.begin():
                        user_id = None if standby else _turn_user(event)
                        start: Start | None = None
                        if event_id and user_id:  # the claim and the member's row read together
                            start = conversation.claim_and_start(db, event_id, str(event_type)[:32], user_id,
                                                                 self.clock())
                            claimed = start is not None
                        else:
                            claimed = not event_id or claim_event(db, event_id, str(event_type)[:32])
                        if not claimed:
                            if reconnected and replies:  # the first try's commit landed, its answer lost on the way
                                break
                            log.info("event %s already handled", event_id)
                            return
                        replies = self._standby(db, event) if standby else self._event(db, event, profiles, start)
                    break
                except _Newcomer as newcomer:  # rolled back, claim and all: ask LINE who it is, then again
                    profiles[newcomer.user_id] = self.line.profile(newcomer.user_id)
                except DBAPIError as exc:
                    # A pooled connection the database dropped (a restart: the pool is renewed), or a new one it
                    # did not open in time (a burst of events on a busy host; no statement ran): the event, rolled
                    # back whole, is tried once more; its claim makes a commit that did land a no-op, whose replies
                    # are sent.
                    if not (exc.connection_invalidated or exc.statement is None) or reconnected:
                        raise
                    reconnected = True
                    log.warning("event %s: no database connection (%s); trying again", event_id, exc.orig)
        except Exception:
            log.exception("event %s (%s) failed", event_id, event_type)
            replies = [] if standby else self._apology(event)
        if replies and reply_token:
            source = event.source
            # the chat the reply shows in: a group's own, never the lane of its member's one-to-one chat, whose
            # waiting replies may leave together with this one
            chat = (getattr(source, "group_id", None) or getattr(source, "room_id", None)
                    or getattr(source, "user_id", None) or "") if source else ""
            try:  # sent after the chat's earlier replies, by a sender thread unless there are none
                self.replies.send(chat, reply_token, replies, str(event_id))
            except Exception:  # whatever the SDK makes of a reply, the webhook still answers LINE 200
                log.exception("reply for event %s (%s) failed", event_id, event_type)

    def _apology(self, event: Event) -> list[Message]:
        """In the member's language when it can still be read (the failed transaction was rolled back)."""
        user_id = getattr(event.source, "user_id", None) if event.source else None
        locale = "th"
        if user_id:
            try:
                with self.sessions() as db:
                    member = member_by_line_id(db, user_id)
                    locale = member.locale if member else "th"
            except Exception:  # the database itself may be what failed
                log.warning("apology: member's language not readable, answering in Thai")
        _ = translator(locale)
        return reply(_("Sorry, something went wrong on our side. Please try again in a moment."))

    def _event(self, db: Session, event: Event, profiles: dict[str, Profile | None],
               start: Start | None = None) -> list[Message]:
        if isinstance(event, JoinEvent):
            return basic.introduce(self._guest_turn(db), Intent("help"))
        if isinstance(event, UnfollowEvent):
            return self._unfollow(db, _user(event))
        user_id = _turn_user(event)
        if not user_id:
            return []  # a group's message, a beacon, an unsend, a video watched: nobody to answer or sign up
        turn = self._turn(db, user_id, profiles, start)
        turn.acted_at = _stamped(event)
        if isinstance(event, FollowEvent):
            return register.welcome(turn)
        if isinstance(event, PostbackEvent):
            intent = Intent.from_postback(event.postback.data) or Intent("unknown")
            params = event.postback.params or {}  # a date picker's choice, Thai local time
            picked = params.get("datetime") or params.get("date") or params.get("time")
            if picked and intent.name != "unknown":
                intent = replace(intent, slots={**intent.slots, "picked": picked})
            return self.route(turn, intent)
        if isinstance(event, MessageEvent):
            if isinstance(event.message, TextMessageContent):
                return self.text(turn, event.message.text)
            return basic.unsupported(turn, Intent("unknown"))
        return []

    def _standby(self, db: Session, event: Event) -> list[Message]:
        """Another channel is answering this chat (LINE's standby mode): say nothing and start nothing. Only
        an unfollow is taken note of, since the member has blocked the whole account."""
        return self._unfollow(db, _user(event)) if isinstance(event, UnfollowEvent) else []

    def _unfollow(self, db: Session, user_id: str) -> list[Message]:
        member = member_by_line_id(db, user_id) if user_id else None
        if member is not None:
            member.active = False
        return []

    def _guest_turn(self, db: Session) -> Turn:
        now = self.clock()
        return Turn(db=db, member=Member(line_user_id=""), now=now, _=translator("th"), locale="th")

    def _turn(self, db: Session, user_id: str, profiles: dict[str, Profile | None], start: Start | None) -> Turn:
        now = self.clock()
        member, pending = start or conversation.member_and_pending(db, user_id, now)
        if member is None:
            if user_id not in profiles:
                raise _Newcomer(user_id)  # LINE is asked outside the transaction, never while it holds locks
            profile = profiles[user_id]
            member = Member(
                line_user_id=user_id,
                display_name=clean(profile.display_name) if profile else None,
                profile_language=clean(profile.language) if profile else None,
            )
            db.add(member)
            db.flush()
        if not member.active:  # set only when it changes: an unchanged member still costs a flush at commit
            member.active = True
        locale = member.locale
        return Turn(
            db=db,
            member=member,
            now=now,
            _=translator(locale),
            locale=locale,
            pending=pending,
            translators=translator,
            image_base_url=self.image_base_url,
            console_url=self.console_url,
        )

    def text(self, turn: Turn, text: str) -> list[Message]:
        """Understand a typed message, continuing the member's open question when it answers it. The handler
        gets the message read once: the intent's slots and, beside them, the readings of what an answer holds
        (a name, a district, a bare number, …: bot.nlu.replies); it never reads the text itself.

        What is the same for every conversation is decided here, once, from the form's declaration
        (handlers.forms.Form): "ยกเลิก" leaves any form (or is its yes, where the question is "cancel this?");
        another request in the middle of a form is answered and the form's question asked again; a command
        typed where free text is awaited is confirmed before either is done."""
        parsed, said = nlu.understand(text)
        read = said.slots()
        pending = turn.pending
        if pending is None and parsed.name in ("order.join", "sell.pledge"):
            return self.several(turn, parsed.with_slots(**read), nlu.items(text))
        if pending is None and said.answer == "cancel":  # "ยกเลิก" with no question open: cancel what?
            return basic.what_to_cancel(turn)
        if pending is None:
            return self.route(turn, parsed.with_slots(**read))
        form = form_of(pending.intent)
        answer = said.answer
        if answer == "cancel" and pending.awaiting in form.cancel_is_yes:
            answer = "yes"  # "ยกเลิก" to "cancel your order?" means yes
        elif answer == "cancel":
            turn.finish()
            return reply(turn._("OK, cancelled. What would you like to do?"), main_actions(turn._))
        if pending.intent == "order.change" and parsed.name == "order.join" and nlu.more(text):
            turn.finish()  # so many more, asked while a change waits: added to the order as anywhere, never set
            return self.route(turn, parsed.with_slots(**read))
        if parsed.name == pending.intent and form.restarts is not None and form.restarts(pending.slots, parsed.slots):
            turn.finish()  # named anew: a new request, not an answer; nothing is kept from the old one
            return self.route(turn, parsed.with_slots(**read))
        slots = {**pending.slots, **parsed.slots, **read, **({"answer": answer} if answer else {})}
        # It answers the open question when nothing else reads from it, when it is of the question's own intent,
        # or when it holds what the question asks for (a name can be read from almost anything: not that).
        answers = (parsed.name in ("unknown", pending.intent, *form.hears) or pending.awaiting in parsed.slots
                   or bool(answer) or said.skip or (pending.awaiting in read and pending.awaiting != "name"))
        if pending.awaiting in form.confirms_commands and parsed.name != "unknown" and said.words <= COMMAND_WORDS:
            return self.which(turn, Intent(pending.intent, slots, text), parsed.with_slots(**read))
        if answers or pending.awaiting in form.free_text:
            return self.route(turn, Intent(pending.intent, slots, text))
        if pending.awaiting in form.optional:
            turn.finish()
            return self.route(turn, parsed.with_slots(**read))
        return self.digress(turn, parsed.with_slots(**read))

    def digress(self, turn: Turn, asked: Intent) -> list[Message]:
        """Another request in the middle of a form: answer it, then ask the form's question again, unless what
        was asked started a conversation of its own or ended the form."""
        pending = turn.pending
        assert pending is not None
        form = (pending.intent, pending.awaiting)  # as it was: the row itself changes if the aside asks its own
        replies = self.route(turn, asked, keep_pending=True)
        still = conversation.pending(turn.db, turn.member.id, turn.now)
        if still is None or (still.intent, still.awaiting) != form:
            return replies
        turn.pending = still
        again = self.route(turn, Intent(still.intent, dict(still.slots)))
        return [*replies[: 5 - min(len(again), 2)], *again[:2]][:5]

    def which(self, turn: Turn, typed: Intent, command: Intent) -> list[Message]:
        """A command typed where free text is awaited ("ปิดรอบ" as an announcement): ask which it is, and do
        neither until the member says. The text waits in the open question."""
        pending = turn.pending
        assert pending is not None
        _ = turn._
        form_of(pending.intent).hold(turn, typed.text)
        question = _("Is \"{text}\" the text you are writing, or something for me to do?").format(
            text=fmt.shortened(typed.text, 60))
        buttons: list[Button] = [(_("It is the text"), Intent(pending.intent, {"use_typed": True}))]
        try:
            command.to_postback()
            buttons.append((_("Do it"), command))
        except ValueError:  # too long for a button: the member types it again
            pass
        return reply(question, buttons)

    def several(self, turn: Turn, parsed: Intent, items: list[str]) -> list[Message]:
        """An order of several items is taken one at a time: the first now, and the member is told of the
        rest, with a button for the next, so that none is silently dropped."""
        if len(items) < 2:
            return self.route(turn, parsed)
        _ = turn._
        first, said = nlu.understand(items[0])
        replies = self.route(turn, first.with_slots(**said.slots()))
        after = nlu.understand(items[1])[0]  # as the house does it: N more is joined, adding to the line
        note = _("One item at a time, please: this is for the first. Then the rest: {rest}").format(
            rest=", ".join(items[1:]))
        return [*replies[:4], text(note, [(items[1], after)])]

    def route(self, turn: Turn, intent: Intent, keep_pending: bool = False) -> list[Message]:
        if intent.runner_up is not None and not self._theirs(turn, intent.runner_up.name):
            intent = replace(intent, runner_up=None)  # a coordinator's meaning is never offered to a member
        if intent.unsure:  # nothing is done on a reading this unsure: the member picks what was meant
            return basic.which_meant(turn, intent)
        route = BY_INTENT.get(intent.name) or BY_INTENT["unknown"]
        if turn.pending is not None and turn.pending.intent != route.intent and not keep_pending:
            turn.finish()
        refusal = self._refusal(turn, route)
        if refusal is not None:
            return refusal
        return route.handler(turn, intent)[:5]

    def _theirs(self, turn: Turn, intent: str) -> bool:
        """Whether the member's role lets them use the intent (an unregistered member is asked to register, so a
        member's intent counts as theirs)."""
        route = BY_INTENT.get(intent)
        return route is None or route.who in (ANYONE, MEMBER) or self._refusal(turn, route) is None

    def _refusal(self, turn: Turn, route: Route) -> list[Message] | None:
        _ = turn._
        member = turn.member
        if route.who == ANYONE:
            return None
        if route.who == MEMBER and not member.registered:
            return reply(
                _("Please register first: it takes a minute. Type \"register\" or press the button."),
                [(_("Register"), Intent("register"))],
            )
        if route.who == COORDINATOR and member.role not in ("coordinator", "admin"):
            return reply(_("Sorry, only coordinators can do this."), main_actions(_))
        if route.who == ADMIN and member.role != "admin":
            return reply(_("Sorry, only admins can do this."), main_actions(_))
        return None


def _stamped(event: Event) -> datetime | None:
    """When LINE says the event happened (its timestamp, milliseconds since the epoch)."""
    stamp = getattr(event, "timestamp", None)
    return datetime.fromtimestamp(stamp / 1000, UTC) if isinstance(stamp, int) else None
