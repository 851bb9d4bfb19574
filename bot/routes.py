"""Where bot/ meets handlers/: the one ordered table from intent name to handler, with who may use it and the
conversation it holds; and the words bot/ shows without being asked (the pushes the jobs send, the rich
menu's buttons, a price chart's title). Only this module and the dispatcher import handlers."""

from __future__ import annotations

from dataclasses import dataclass

from handlers import (
    Handler,
    alerts,
    basic,
    broadcast,
    console,
    fmt,
    latex,
    news,
    order_lines,
    orders,
    prices,
    pushes,
    register,
    round_open,
    rounds,
    savings,
    selling,
    service,
)
from handlers.forms import Form
from handlers.orders_ui import amount as units_of
from handlers.orders_ui import unit_word
from handlers.price_chart import chart_words
from handlers.price_ui import change as price_change
from handlers.price_ui import source_line, type_name
from handlers.ui import main_actions as menu_buttons

ANYONE, MEMBER, COORDINATOR, ADMIN = "anyone", "member", "coordinator", "admin"


@dataclass(frozen=True)
class Route:
    intent: str
    handler: Handler
    who: str = ANYONE
    form: Form | None = None  # the conversation it holds, when it asks before it acts (handlers.forms)


ROUTES: tuple[Route, ...] = (
    Route("greeting", basic.greeting),
    Route("help", basic.help),
    Route("register", register.handle, form=register.FORM),
    Route("news", news.news),
    Route("contact", news.contact),
    Route("payment", service.payment, MEMBER),
    Route("pickup", service.pickup, MEMBER),
    Route("delivery.status", service.delivery_status, MEMBER),
    Route("handoff", service.handoff),
    Route("broadcast", broadcast.broadcast, COORDINATOR, broadcast.BROADCAST),
    Route("meeting.reply", news.meeting_reply, MEMBER),
    Route("news.mute", news.mute, MEMBER),
    Route("order.join", orders.join, MEMBER, orders.JOIN),
    Route("order.change", order_lines.change, MEMBER, order_lines.CHANGE),
    Route("order.cancel", order_lines.cancel, MEMBER, order_lines.CANCEL),
    Route("order.list", order_lines.list_orders, MEMBER),
    Route("rounds.list", rounds.list_rounds),
    Route("sell.pledge", selling.pledge, MEMBER, orders.PLEDGE),
    Route("savings", savings.savings, MEMBER),
    Route("round.close", rounds.close_round, COORDINATOR, rounds.CLOSE),
    Route("round.summary", rounds.summary, COORDINATOR),
    Route("round.open", round_open.open_round, COORDINATOR, round_open.OPEN),
    Route("round.arrived", console.goods_arrived, COORDINATOR),
    Route("console.link", console.link, COORDINATOR),
    Route("price.today", prices.today),
    Route("price.history", prices.history),
    Route("latex.calc", latex.calc, form=latex.CALC),
    Route("alert.create", alerts.create, MEMBER, alerts.CREATE),
    Route("alert.list", alerts.list_alerts, MEMBER),
    Route("alert.cancel", alerts.cancel, MEMBER, alerts.CANCEL),
    Route("price.post", prices.post, COORDINATOR, prices.POST),
    Route("unknown", basic.unknown),
)

BY_INTENT = {route.intent: route for route in ROUTES}
# The console (bot/web/admin) shows numbers, dates, units and prices in the same words as chat.
__all__ = ["ADMIN", "ANYONE", "BY_INTENT", "COORDINATOR", "MEMBER", "ROUTES", "Route", "chart_words", "console",
           "fmt", "menu_buttons", "price_change", "pushes", "source_line", "type_name", "unit_word", "units_of"]
