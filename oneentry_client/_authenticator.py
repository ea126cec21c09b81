"""Logging the guest in, refreshing its tokens single-flight, and recovering from a 401."""

from __future__ import annotations

import logging

from ._auth_state import AuthState
from ._call import ApiCall, AuthMode
from ._requester import Requester
from .credentials import GuestCredentials
from .errors import APIStatusError
from .models import AuthTokens
from .retry import RetryPolicy

__all__ = ["Authenticator"]

log = logging.getLogger("oneentry_client")

_AUTH_BASE = "/api/content/users-auth-providers/marker"


class Authenticator:
    """The auth-provider calls plus the rules for keeping one guest session alive.

    Every token change happens under `AuthState.lock`, so 50 callers that hit an expired token
    together cause one refresh: the first refreshes, the rest see a newer generation and retry.
    """

    def __init__(
        self, requester: Requester, state: AuthState, credentials: GuestCredentials | None
    ) -> None:
        self._requester = requester
        self._state = state
        self._credentials = credentials

    @property
    def is_logged_in(self) -> bool:
        return self._state.access_token is not None

    async def login(self) -> AuthTokens:
        """Log in with the guest credentials, replacing any tokens held."""
        async with self._state.lock:
            return await self._login_locked()

    async def refresh(self) -> AuthTokens:
        """Exchange the held refresh token for a new pair (it is single-use)."""
        async with self._state.lock:
            return await self._refresh_locked()

    async def logout(self) -> None:
        """End the session on the server (if one is held) and forget the tokens."""
        async with self._state.lock:
            if self._state.refresh_token is None:
                return
            call = ApiCall(
                "POST",
                f"{_AUTH_BASE}/{self._provider}/users/logout",
                json={"refreshToken": self._state.refresh_token},
                auth=AuthMode.USER,
                retry=RetryPolicy.UNSENT_ONLY,
            )
            try:
                response = await self._requester.send(call, self._state.access_token)
                self._requester.raise_for_status(call, response)
            finally:
                self._state.clear()

    async def ensure_logged_in(self) -> None:
        """Log in once, lazily, before the first call that needs the guest user."""
        if self._state.access_token is not None:
            return
        async with self._state.lock:
            if self._state.access_token is None:
                await self._login_locked()

    async def recover(self, failed_generation: int) -> None:
        """After a 401: refresh once (or log in again if the refresh is refused).

        Does nothing when the tokens already changed since the failed request was sent.
        """
        async with self._state.lock:
            if self._state.generation != failed_generation:
                return
            if self._state.refresh_token is not None:
                try:
                    await self._refresh_locked()
                    return
                except APIStatusError as exc:
                    if exc.status is None or exc.status >= 500:
                        raise
                    log.warning("OneEntry refresh refused (%s); logging in again", exc.status)
            if self._credentials is not None:
                await self._login_locked()

    @property
    def _provider(self) -> str:
        return self._credentials.provider if self._credentials else "email"

    async def _login_locked(self) -> AuthTokens:
        if self._credentials is None:
            raise RuntimeError("OneEntryClient was created without guest credentials")
        call = ApiCall(
            "POST",
            f"{_AUTH_BASE}/{self._provider}/users/auth",
            json=self._credentials.auth_data(),
            auth=AuthMode.NONE,
            retry=RetryPolicy.UNSENT_ONLY,
        )
        return await self._exchange(call)

    async def _refresh_locked(self) -> AuthTokens:
        call = ApiCall(
            "POST",
            f"{_AUTH_BASE}/{self._provider}/users/refresh",
            json={"refreshToken": self._state.refresh_token} if self._state.refresh_token else {},
            auth=AuthMode.NONE,
            retry=RetryPolicy.UNSENT_ONLY,
        )
        return await self._exchange(call)

    async def _exchange(self, call: ApiCall) -> AuthTokens:
        response = await self._requester.send(call, access_token=None)
        self._requester.raise_for_status(call, response)
        tokens: AuthTokens = self._requester.parse(call, response, AuthTokens)
        self._state.store(tokens.access_token, tokens.refresh_token)
        return tokens
