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


@contextlib.asynccontextmanager
async def serve_emulator(
    state: EmulatorState | None = None, access_token_ttl: float = 3600.0
) -> AsyncIterator[RunningEmulator]:
    """Serve `state` (a fresh demo shop when None) until the block exits.

    Requests held by a "timeout" fault are let go first, so stopping never waits for them.
    """
    if state is None:
        state = EmulatorState.from_seed(access_token_ttl=access_token_ttl)
    state.faults.rearm()
    async with serve_in_background(create_app(state)) as url:
        try:
            yield RunningEmulator(url=url, state=state)
        finally:
            state.faults.release_held()
