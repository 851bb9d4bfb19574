"""Transcripts reuse the orders fixtures: the demo catalog with open rounds and a registered member."""

from tests.orders.conftest import catalog, farmer  # noqa: F401 (fixtures)
