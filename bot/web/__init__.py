"""The web app's doors: the LINE webhook (POST /callback) and the staff console (/admin).

`csrf` guards every form POST in the app (Flask-WTF); what machines post (LINE's webhook, the sandbox's local
LINE API and its chat page's calls) is exempted where those blueprints are registered."""

from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
