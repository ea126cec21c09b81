"""The fake Telegram as one Starlette app: the Bot API routes, the file route and the control
API, with Telegram errors turned into the envelope in one place (HTTP status == error_code)."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route

from sandbox.telegram import control
from sandbox.telegram.bot_api import bot_method, file_download
from sandbox.telegram.errors import BotApiError
from sandbox.telegram.json_response import JSONResponse
from sandbox.telegram.people import ClientRefused
from sandbox.telegram.spec import BotApiSpec
from sandbox.telegram.state import FakeState
from sandbox.telegram.waiting import ClientGone

CONTROL_PREFIX = "/__sandbox__"


@functools.cache
def installed_spec() -> BotApiSpec:
    """The spec matching the installed PTB, loaded once per process."""
    return BotApiSpec.for_installed_ptb()


async def _telegram_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, BotApiError)
    return JSONResponse(exc.envelope(), status_code=exc.error_code)


async def _client_refused(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"error": str(exc)}, status_code=409)


async def _client_gone(request: Request, exc: Exception) -> Response:
    """A control-API wait whose client hung up (a demo quitting mid-wait): nobody reads the
    answer, and it is no error of the fake's."""
    return Response(status_code=499)


def create_app(state: FakeState | None = None, spec: BotApiSpec | None = None) -> Starlette:
    """A fake Telegram serving `state` (a fresh one if omitted)."""
    state = state if state is not None else FakeState()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        await state.close()

    app = Starlette(
        routes=[
            Route("/bot{token}/{method}", bot_method, methods=["GET", "POST"]),
            Route("/file/bot{token}/{path:path}", file_download, methods=["GET"]),
            Mount(CONTROL_PREFIX, routes=control.routes),
        ],
        exception_handlers={
            BotApiError: _telegram_error,
            ClientRefused: _client_refused,
            ClientGone: _client_gone,
        },
        lifespan=lifespan,
    )
    app.state.fake = state
    app.state.spec = spec if spec is not None else installed_spec()
    return app
