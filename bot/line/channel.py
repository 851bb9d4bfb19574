"""The LINE channel's secret and access token: an environment variable wins, else what an admin stored.

What an admin stored is encrypted with SECRET_KEY; the key is asked for only when something is stored or
read back, so commands that never touch the stored values run without it."""

from __future__ import annotations

import base64
import hashlib
import time

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings
from models.channel import ChannelSetting

SECRET, TOKEN, WEBHOOK_URL = "line_channel_secret", "line_channel_access_token", "webhook_url"
CACHE_SECONDS = 30.0


class Channel:
    def __init__(self, settings: Settings, sessions: sessionmaker[Session]) -> None:
        self.settings = settings
        self.sessions = sessions
        self._fernet: Fernet | None = None
        self._cache: dict[str, str] = {}
        self._loaded_at = -CACHE_SECONDS

    def secret(self) -> str:
        if self.settings.line_channel_secret:
            return str(self.settings.line_channel_secret)
        return self.stored(SECRET)

    def token(self) -> str:
        if self.settings.line_channel_access_token:
            return str(self.settings.line_channel_access_token)
        return self.stored(TOKEN)

    def stored(self, name: str) -> str:
        if time.monotonic() - self._loaded_at > CACHE_SECONDS:
            with self.sessions() as db:
                rows = db.query(ChannelSetting).all()
                self._cache = {row.name: self._decrypt(row.encrypted_value) for row in rows}
            self._loaded_at = time.monotonic()
        return self._cache.get(name, "")

    def store(self, db: Session, name: str, value: str) -> None:
        row = db.get(ChannelSetting, name) or ChannelSetting(name=name)
        row.encrypted_value = self._cipher().encrypt(value.encode()).decode()
        db.add(row)
        self._loaded_at = -CACHE_SECONDS

    def _cipher(self) -> Fernet:
        if self._fernet is None:
            key = self.settings.require_secret_key("it encrypts the channel secret and token the admin page stores")
            self._fernet = Fernet(base64.urlsafe_b64encode(hashlib.sha256(key.encode()).digest()))
        return self._fernet

    def _decrypt(self, value: str) -> str:
        try:
            return self._cipher().decrypt(value.encode()).decode()
        except InvalidToken:
            return ""
