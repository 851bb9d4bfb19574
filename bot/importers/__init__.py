"""Prices from outside: RAOT's exports as published, and the Ministry of Commerce's open data."""
