"""Transcripts reuse the orders and prices fixtures: the demo catalog with open rounds, a registered member, and
a fixed clock for price rows."""

from tests.orders.conftest import catalog, farmer  # noqa: F401 (fixtures)
from tests.prices.conftest import clock  # noqa: F401 (fixtures)
