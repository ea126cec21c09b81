"""Auth providers and users: log in, refresh, log out, provider lookup, `/users/me`.

Wrong credentials answer 401 "Wrong login or password" (NestJS's UnauthorizedException; the
real text is unknown). Malformed `authData` answers 400, as the Rules describe. A refresh token
works once, from any device; a used one answers 401.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from sandbox.oneentry.catalog_views import render_auth_provider, render_user
from sandbox.oneentry.errors import bad_request
from sandbox.oneentry.http_helpers import (
    current_user,
    int_param,
    json_body,
    request_lang,
    state_of,
)
from sandbox.oneentry.tokens import TokenPair, bearer_token, fingerprint_of


def _tokens_body(user: dict[str, Any], marker: str, pair: TokenPair) -> dict[str, str]:
    return {
        "userIdentifier": user["login"],
        "authProviderIdentifier": marker,
        "accessToken": pair.access_token,
        "refreshToken": pair.refresh_token,
    }


async def login(request: Request) -> JSONResponse:
    """`POST /marker/{marker}/users/auth`: a token pair for the user."""
    marker = request.path_params["marker"]
    body = await json_body(request)
    if not isinstance(body, dict):
        raise bad_request("Request body must be a JSON object with authData")
    fingerprint = fingerprint_of(request.headers.get("x-device-metadata"))
    user, pair = state_of(request).login(marker, body.get("authData"), fingerprint)
    return JSONResponse(_tokens_body(user, marker, pair), status_code=201)


async def refresh(request: Request) -> JSONResponse:
    """`POST /marker/{marker}/users/refresh`: a one-time rotation of the refresh token."""
    marker = request.path_params["marker"]
    body = await json_body(request)
    token = body.get("refreshToken") if isinstance(body, dict) else None
    fingerprint = fingerprint_of(request.headers.get("x-device-metadata"))
    user, pair = state_of(request).refresh(marker, token, fingerprint)
    return JSONResponse(_tokens_body(user, marker, pair), status_code=201)


async def logout(request: Request) -> JSONResponse:
    """`POST /marker/{marker}/users/logout`: burn the refresh token; answers `true`."""
    state = state_of(request)
    state.auth_provider(request.path_params["marker"])
    current_user(request)
    body = await json_body(request)
    token = body.get("refreshToken") if isinstance(body, dict) else None
    state.tokens.revoke(bearer_token(request.headers.get("authorization")), token)
    return JSONResponse(True, status_code=201)


async def list_providers(request: Request) -> JSONResponse:
    """`GET /users-auth-providers?langCode&offset&limit`: a bare array."""
    state = state_of(request)
    lang = request_lang(request)
    offset = int_param(request, "offset", 0)
    limit = int_param(request, "limit", 30)
    providers = state.data["authProviders"][offset : offset + limit]
    ttl = state.tokens.access_token_ttl
    return JSONResponse([render_auth_provider(p, lang, ttl) for p in providers])


async def provider_by_marker(request: Request) -> JSONResponse:
    state = state_of(request)
    provider = state.auth_provider(request.path_params["marker"])
    lang = request_lang(request)
    return JSONResponse(render_auth_provider(provider, lang, state.tokens.access_token_ttl))


async def me(request: Request) -> JSONResponse:
    """`GET /users/me`: the signed-in user."""
    user = current_user(request)
    state = state_of(request)
    provider = state.auth_provider(user["authProvider"])
    return JSONResponse(render_user(user, provider, state.user_group(user)))
