"""`AuthProvider` module: log the guest in, refresh its tokens, log out."""

from __future__ import annotations

from .._authenticator import Authenticator
from ..models import AuthTokens

__all__ = ["AuthProvidersResource"]


class AuthProvidersResource:
    """Explicit session control; the client also logs in and refreshes on its own when needed."""

    def __init__(self, authenticator: Authenticator) -> None:
        self._authenticator = authenticator

    @property
    def is_logged_in(self) -> bool:
        return self._authenticator.is_logged_in

    async def login(self) -> AuthTokens:
        """`POST /users-auth-providers/marker/{provider}/users/auth` with the guest credentials."""
        return await self._authenticator.login()

    async def refresh(self) -> AuthTokens:
        """`POST .../users/refresh`: rotates the single-use refresh token."""
        return await self._authenticator.refresh()

    async def logout(self) -> None:
        """`POST .../users/logout`, then forget the tokens."""
        await self._authenticator.logout()
