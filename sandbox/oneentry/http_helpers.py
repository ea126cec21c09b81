"""Small helpers every endpoint uses: the state, the JSON body, the signed-in user, the
language, paging."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request

from sandbox.oneentry.errors import bad_request, unauthorized
from sandbox.oneentry.localize import lang_of
from sandbox.oneentry.state import EmulatorState
from sandbox.oneentry.tokens import bearer_token


def state_of(request: Request) -> EmulatorState:
    state: EmulatorState = request.app.state.emulator  # set by create_app
    return state


def request_lang(request: Request) -> str:
    """The request's `langCode`, or the project's default language when it sends none."""
    return lang_of(request.query_params, state_of(request).default_lang)


def base_url(request: Request) -> str:
    """The emulator's own base URL as the client reached it (no trailing slash)."""
    return str(request.base_url).rstrip("/")


async def json_body(request: Request) -> Any:
    """The parsed JSON body, None for an empty one; 400 when it is not JSON."""
    raw = await request.body()
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise bad_request("Request body is not valid JSON") from exc


def current_user(request: Request) -> dict[str, Any]:
    """The user behind the Bearer token; 401 "Unauthorized" when absent, unknown or expired."""
    token = bearer_token(request.headers.get("authorization"))
    if token is None:
        raise unauthorized()
    state = state_of(request)
    return state.user(state.tokens.user_for_access(token))


def access_token_of(request: Request) -> str | None:
    """The Bearer token the request carries, if any (checked or not)."""
    return bearer_token(request.headers.get("authorization"))


def int_param(request: Request, name: str, default: int, minimum: int = 0) -> int:
    """An integer query parameter; 400 when present but not an integer >= `minimum`."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise bad_request(f"{name} must be an integer") from exc
    if value < minimum:
        raise bad_request(f"{name} must be >= {minimum}")
    return value


def path_int(request: Request, name: str) -> int:
    """An integer path parameter (routes use the `int` convertor, so this only reads it)."""
    return int(request.path_params[name])
