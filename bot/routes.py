"""The one ordered table from intent name to handler, with who may use it."""

from __future__ import annotations

from dataclasses import dataclass

from handlers import Handler, basic, news, register

ANYONE, MEMBER, COORDINATOR, ADMIN = "anyone", "member", "coordinator", "admin"


@dataclass(frozen=True)
class Route:
    intent: str
    handler: Handler
    who: str = ANYONE


ROUTES: tuple[Route, ...] = (
    Route("greeting", basic.greeting),
    Route("help", basic.help),
    Route("register", register.handle),
    Route("news", news.news),
    Route("contact", news.contact),
    Route("broadcast", news.broadcast, COORDINATOR),
    Route("unknown", basic.unknown),
)

BY_INTENT = {route.intent: route for route in ROUTES}
