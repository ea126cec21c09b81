"""Who the fake bot is: Telegram derives the bot's user id from the token (the digits before
the colon), so the fake does too, and answers a wrong token the way Telegram does."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sandbox.telegram.errors import BotApiError

_TOKEN_SHAPE = re.compile(r"^(\d+):[A-Za-z0-9_-]+$")


@dataclass
class BotIdentity:
    """The bot's token and profile. With no token configured, the first well-formed token
    that calls the fake becomes the bot's, and any other token is then refused."""

    username: str = "oneentry_shop_bot"
    first_name: str = "Shop Bot"
    token: str | None = None
    # BotFather's /setinline (inline mode) and /setinlinefeedback (chosen_inline_result)
    inline_mode: bool = True
    inline_feedback: bool = True

    @property
    def user_id(self) -> int:
        if self.token is None:
            return 0
        return int(self.token.partition(":")[0])

    def authenticate(self, token: str) -> None:
        """Accept the bot's token; 404 for a malformed one, 401 for someone else's."""
        if not _TOKEN_SHAPE.match(token):
            raise BotApiError(404, "invalid token")
        if self.token is None:
            self.token = token
        elif token != self.token:
            raise BotApiError(401, "Unauthorized")

    def user(self) -> dict[str, Any]:
        """The bot as a `User` inside messages (`from` of what the bot sends)."""
        return {
            "id": self.user_id,
            "is_bot": True,
            "first_name": self.first_name,
            "username": self.username,
        }

    def me(self) -> dict[str, Any]:
        """The `getMe` result: the bot's User with the bot-only flags."""
        return {
            **self.user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": self.inline_mode,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
