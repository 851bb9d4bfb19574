"""The LINE channel's secret and access token: an environment variable wins, else what an admin stored."""

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
        key = hashlib.sha256(str(settings.secret_key).encode()).digest()
        self._fernet = Fernet(base64.urlsafe_b64encode(key))
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
        row.encrypted_value = self._fernet.encrypt(value.encode()).decode()
        db.add(row)
        self._loaded_at = -CACHE_SECONDS

    def _decrypt(self, value: str) -> str:
        try:
            return self._fernet.decrypt(value.encode()).decode()
        except InvalidToken:
            return ""
