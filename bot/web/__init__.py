"""The web app's doors: the LINE webhook (POST /callback) and the admin console (/admin)."""
