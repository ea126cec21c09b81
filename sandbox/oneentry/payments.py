"""Payment endpoints (all need a user Bearer): sessions and accounts.

A `cash` session has no payment URL; a `stripe` one points at the emulator's own payment page,
`{base_url}/pay/{session_id}`, which stands in for Stripe Checkout. Sessions belong to the
owner of their order.
"""

from __future__ import annotations

import uuid

from starlette.requests import Request
from starlette.responses import JSONResponse

from sandbox.oneentry.errors import bad_request, iso_now, not_found
from sandbox.oneentry.http_helpers import (
    base_url,
    current_user,
    int_param,
    json_body,
    path_int,
    state_of,
)
from sandbox.oneentry.localize import lang_of
from sandbox.oneentry.order_views import render_account, render_session
from sandbox.oneentry.records import StoredSession

SESSION_TYPES = ("session", "intent")


async def create_session(request: Request) -> JSONResponse:
    """`POST /payments/sessions` `{orderId, type, automaticTaxEnabled}`: 201, status "waiting"."""
    user = current_user(request)
    state = state_of(request)
    body = await json_body(request)
    if not isinstance(body, dict):
        raise bad_request("Request body must be a JSON object")
    order_id = body.get("orderId")
    if not isinstance(order_id, int) or isinstance(order_id, bool):
        raise bad_request("orderId must be an integer")
    kind = body.get("type")
    if kind not in SESSION_TYPES:
        raise bad_request("type must be one of session, intent")
    order = state.order_for_user(order_id, user["id"])
    account = state.account(order.payment_account_identifier)
    session_id = state.next_session_id()
    is_stripe = account.get("type") == "stripe"
    now = iso_now()
    session = state.store_session(
        StoredSession(
            id=session_id,
            order_id=order.id,
            user_id=user["id"],
            type=kind,
            status="waiting",
            payment_account_id=account["id"],
            payment_account_identifier=account["identifier"],
            payment_url=f"{base_url(request)}/pay/{session_id}" if is_stripe else None,
            amount=float(order.total_sum) if is_stripe else None,
            created_date=now,
            updated_date=now,
            client_secret=f"pi_{uuid.uuid4().hex}_secret_{uuid.uuid4().hex[:12]}"
            if is_stripe and kind == "intent"
            else None,
        )
    )
    order.payment_url = session.payment_url
    return JSONResponse(render_session(session), status_code=201)


async def session_by_id(request: Request) -> JSONResponse:
    user = current_user(request)
    session = state_of(request).session(path_int(request, "session_id"))
    if session.user_id != user["id"]:
        raise not_found(f"Payment session {session.id} not found")
    return JSONResponse(render_session(session))


async def sessions_by_order(request: Request) -> JSONResponse:
    """`GET /payments/sessions/order/{orderId}`: an ARRAY, newest session first."""
    user = current_user(request)
    state = state_of(request)
    order = state.order_for_user(path_int(request, "order_id"), user["id"])
    sessions = sorted(
        (s for s in state.sessions.values() if s.order_id == order.id), key=lambda s: -s.id
    )
    return JSONResponse([render_session(s) for s in sessions])


async def list_sessions(request: Request) -> JSONResponse:
    """`GET /payments/sessions/?offset&limit`: the user's sessions as `{items, total}`."""
    user = current_user(request)
    state = state_of(request)
    offset = int_param(request, "offset", 0)
    limit = int_param(request, "limit", 30)
    mine = sorted(
        (s for s in state.sessions.values() if s.user_id == user["id"]), key=lambda s: -s.id
    )
    return JSONResponse(
        {"items": [render_session(s) for s in mine[offset : offset + limit]], "total": len(mine)}
    )


async def list_accounts(request: Request) -> JSONResponse:
    """`GET /payments/accounts`: a bare array."""
    current_user(request)
    state = state_of(request)
    lang = lang_of(request.query_params)
    return JSONResponse([render_account(a, lang) for a in state.data["paymentAccounts"]])


async def account_by_id(request: Request) -> JSONResponse:
    current_user(request)
    state = state_of(request)
    account_id = path_int(request, "account_id")
    account = next((a for a in state.data["paymentAccounts"] if a["id"] == account_id), None)
    if account is None:
        raise not_found(f"Payment account {account_id} not found")
    return JSONResponse(render_account(account, lang_of(request.query_params)))
