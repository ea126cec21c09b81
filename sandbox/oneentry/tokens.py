"""Access and refresh tokens with OneEntry's rules.

Access tokens are JWT-looking HS256 strings that expire after a configurable TTL. Refresh
tokens look like `<epoch-ms>-<uuid4>`, rotate on every refresh, work once, and are bound to the
device fingerprint sent in `x-device-metadata` at login. Time comes from an injected clock so
tests can move past a TTL without waiting.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sandbox.oneentry.errors import ProtocolError, bad_request, unauthorized


@dataclass
class AccessGrant:
    """Who an access token belongs to and until when it is valid (clock seconds)."""

    user_id: int
    expires_at: float


@dataclass(frozen=True)
class RefreshGrant:
    """Who a refresh token belongs to and the device fingerprint it is bound to."""

    user_id: int
    fingerprint: str | None


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class TokenStore:
    """Issues, checks, rotates and revokes tokens."""

    def __init__(self, access_token_ttl: float, clock: Callable[[], float]) -> None:
        self.access_token_ttl = access_token_ttl
        self._clock = clock
        self._secret = secrets.token_bytes(32)
        self._access: dict[str, AccessGrant] = {}
        self._refresh: dict[str, RefreshGrant] = {}
        self.refresh_count = 0

    def clear(self) -> None:
        """Forget every token (a reset)."""
        self._access.clear()
        self._refresh.clear()
        self.refresh_count = 0

    def issue(
        self, user_id: int, identifier: str, provider: str, fingerprint: str | None
    ) -> TokenPair:
        """A new access token and a new refresh token bound to `fingerprint`."""
        now = self._clock()
        payload = {
            "id": user_id,
            "authProviderIdentifier": provider,
            "userIdentifier": identifier,
            "iat": int(now),
            "exp": int(now + self.access_token_ttl),
            "jti": uuid.uuid4().hex,
        }
        signing_input = (
            _b64(b'{"alg":"HS256","typ":"JWT"}') + "." + _b64(json.dumps(payload).encode())
        )
        signature = hmac.new(self._secret, signing_input.encode(), hashlib.sha256).digest()
        access = f"{signing_input}.{_b64(signature)}"
        refresh = f"{int(now * 1000)}-{uuid.uuid4()}"
        self._access[access] = AccessGrant(user_id, now + self.access_token_ttl)
        self._refresh[refresh] = RefreshGrant(user_id, fingerprint)
        return TokenPair(access, refresh)

    def user_for_access(self, token: str) -> int:
        """The user id behind a live access token; 401 when unknown or expired."""
        grant = self._access.get(token)
        if grant is None or self._clock() >= grant.expires_at:
            raise unauthorized()
        return grant.user_id

    def redeem_refresh(self, token: object, fingerprint: str | None) -> RefreshGrant:
        """Burn a refresh token for a rotation; 400 when unknown, used, or from another device."""
        if not isinstance(token, str) or not token:
            raise bad_request("refreshToken must be a non-empty string")
        grant = self._refresh.get(token)
        if grant is None:
            raise bad_request("Refresh token is invalid or has already been used")
        if grant.fingerprint != fingerprint:
            # Left unburned: the rightful device can still use it.
            raise bad_request("Refresh token was issued to another device")
        del self._refresh[token]
        self.refresh_count += 1
        return grant

    def revoke(self, access_token: str | None, refresh_token: object) -> None:
        """Log out: drop the refresh token and the access token that asked for it."""
        if isinstance(refresh_token, str):
            self._refresh.pop(refresh_token, None)
        if access_token is not None:
            self._access.pop(access_token, None)

    def expire_all_access(self) -> None:
        """Make every access token already issued expired, as if its TTL had passed."""
        expired_at = self._clock()
        for grant in self._access.values():
            grant.expires_at = min(grant.expires_at, expired_at)


def bearer_token(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, or None."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def fingerprint_of(device_metadata: str | None) -> str | None:
    """The `fingerprint` inside the `x-device-metadata` JSON; 400 when it is not JSON."""
    if device_metadata is None:
        return None
    try:
        metadata = json.loads(device_metadata)
    except json.JSONDecodeError as exc:
        raise ProtocolError(400, "x-device-metadata header must be a JSON string") from exc
    if not isinstance(metadata, dict):
        raise ProtocolError(400, "x-device-metadata header must be a JSON object")
    fingerprint = metadata.get("fingerprint")
    return fingerprint if isinstance(fingerprint, str) else None
