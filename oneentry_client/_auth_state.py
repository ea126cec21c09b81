"""The guest session: tokens, the device metadata they are bound to, and the refresh lock."""

from __future__ import annotations

import asyncio
import json
import secrets
import string
from dataclasses import dataclass

__all__ = ["AuthState", "TokenSnapshot", "device_metadata", "new_device_id"]

_BASE36 = string.digits + string.ascii_lowercase


def new_device_id() -> str:
    """A random base-36 id like the SDK's per-instance `_nodeDeviceId`."""
    return "".join(secrets.choice(_BASE36) for _ in range(24))


def device_metadata(device_id: str) -> str:
    """The `x-device-metadata` value the SDK sends under Node.js, byte for byte.

    OneEntry binds refresh tokens to this fingerprint, so it must stay the same for as long as
    the tokens are used.
    """
    return json.dumps(
        {
            "fingerprint": f"UQ_{device_id}",
            "deviceInfo": {
                "os": "Node.js",
                "browser": f"Node.js/{device_id[:10]}",
                "location": "en-US",
            },
        },
        separators=(",", ":"),
    )


@dataclass(frozen=True, slots=True)
class TokenSnapshot:
    """The access token a request was sent with, and which rotation it belongs to."""

    access_token: str | None
    generation: int


class AuthState:
    """Tokens plus a generation counter bumped on every change, guarded by one lock.

    A caller that got a 401 compares the generation it sent with against the current one: if a
    concurrent caller already rotated the tokens, it just retries instead of refreshing again.
    """

    def __init__(self, device_id: str) -> None:
        self.device_metadata = device_metadata(device_id)
        self.lock = asyncio.Lock()
        self._access_token: str | None = None
        self._refresh_token: str | None = None
        self._generation = 0

    @property
    def access_token(self) -> str | None:
        return self._access_token

    @property
    def refresh_token(self) -> str | None:
        return self._refresh_token

    @property
    def generation(self) -> int:
        return self._generation

    def snapshot(self) -> TokenSnapshot:
        return TokenSnapshot(self._access_token, self._generation)

    def store(self, access_token: str, refresh_token: str) -> None:
        self._access_token = access_token
        self._refresh_token = refresh_token
        self._generation += 1

    def clear(self) -> None:
        self._access_token = None
        self._refresh_token = None
        self._generation += 1

    def secrets(self) -> list[str]:
        """Every token currently held, for scrubbing them out of error messages."""
        return [token for token in (self._access_token, self._refresh_token) if token]
