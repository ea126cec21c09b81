"""The fixed guest user the bot logs in as."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["GuestCredentials"]


@dataclass(frozen=True, slots=True)
class GuestCredentials:
    """Login data for one auth provider; the password never appears in repr."""

    login: str
    password: str = field(repr=False)
    provider: str = "email"
    login_marker: str = "email_reg"
    password_marker: str = "password_reg"

    def auth_data(self) -> dict[str, list[dict[str, str]]]:
        """The body of `users/auth`: only `{marker, value}` pairs, as OneEntry demands."""
        return {
            "authData": [
                {"marker": self.login_marker, "value": self.login},
                {"marker": self.password_marker, "value": self.password},
            ]
        }
