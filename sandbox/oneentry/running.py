"""`serve_emulator`: the emulator on a free 127.0.0.1 port inside the current event loop."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

from sandbox.oneentry.app import create_app
from sandbox.oneentry.state import EmulatorState
from sandbox.serving import serve_in_background


@dataclass(frozen=True)
class RunningEmulator:
    """A served emulator: its base URL (the ONEENTRY_PROJECT_URL), state and guest credentials."""

    url: str
    state: EmulatorState

    @property
    def app_token(self) -> str:
        return self.state.app_token

    @property
    def guest_login(self) -> str:
        return self.state.guest_login

    @property
    def guest_password(self) -> str:
        return self.state.guest_password

    def bot_settings(self) -> dict[str, str]:
        """Every `.env` line the bot needs for the served shop, as the banner prints them."""
        return self.state.bot_settings(self.url)


@contextlib.asynccontextmanager
async def serve_emulator(
    state: EmulatorState | None = None,
    access_token_ttl: float = 3600.0,
    shop: str | None = None,
) -> AsyncIterator[RunningEmulator]:
    """Serve `state` (when None, a fresh state of `shop`: the tea shop by default) until the
    block exits.

    Requests held by a "timeout" fault are let go first, so stopping never waits for them.
    """
    if state is None:
        state = EmulatorState.from_shop(shop, access_token_ttl=access_token_ttl)
    state.faults.rearm()
    async with serve_in_background(create_app(state)) as url:
        state.project_url = url
        try:
            yield RunningEmulator(url=url, state=state)
        finally:
            state.faults.release_held()
