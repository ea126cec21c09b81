"""Access and refresh tokens with OneEntry's rules.

Access tokens are JWT-looking HS256 strings that expire after a configurable TTL. Refresh
tokens look like `<epoch-ms>-<uuid4>`, rotate on every refresh and work once: a used, revoked or
unknown one answers 401 (Rules tokens.md). They are NOT bound to the device fingerprint of
`x-device-metadata`: no source documents binding, and SDK 1.0.149's own automatic refresh
comes from a module with another random device id (reference §1). The fingerprint is only kept
for the record. Time comes from an injected clock so tests can move past a TTL without waiting.
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
    """Who a refresh token belongs to, and the device fingerprint it was issued to (recorded,
    never checked)."""

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
        """A new access token and a new refresh token, noting `fingerprint`."""
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
        user_id = self.live_user(token)
        if user_id is None:
            raise unauthorized()
        return user_id

    def live_user(self, token: str) -> int | None:
        """The user id behind a live access token, or None (unknown or expired)."""
        grant = self._access.get(token)
        if grant is None or self._clock() >= grant.expires_at:
            return None
        return grant.user_id

    def redeem_refresh(self, token: object) -> RefreshGrant:
        """Burn a refresh token for a rotation, from whichever device; 401 when it is unknown,
        used or revoked, 400 when the body holds no token at all."""
        if not isinstance(token, str) or not token:
            raise bad_request("refreshToken must be a non-empty string")
        grant = self._refresh.pop(token, None)
        if grant is None:
            raise unauthorized()
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
