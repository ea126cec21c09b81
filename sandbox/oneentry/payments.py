"""Payment endpoints (all need a user Bearer): sessions and accounts.

What a new session's `paymentUrl` is depends on its account's `paymentLink`: `none` (cash): null;
`immediate` (Stripe): the emulator's own payment page, `{base_url}/pay/{session_id}`, which
stands in for the gateway's checkout; `delayed` (PayPal): null at first, the page's URL once
`behaviours.paymentLinkDelaySeconds` have passed (or the control API publishes it). A new
session is in `behaviours.sessionStatuses.initial`. Sessions belong to the owner of their order.
"""

from __future__ import annotations

import uuid

from starlette.requests import Request
from starlette.responses import JSONResponse

from sandbox.oneentry.errors import bad_request, not_found
from sandbox.oneentry.http_helpers import (
    base_url,
    current_user,
    int_param,
    json_body,
    path_int,
    request_lang,
    state_of,
)
from sandbox.oneentry.order_views import render_account, render_session
from sandbox.oneentry.past_orders import payment_link_kind
from sandbox.oneentry.records import StoredSession

SESSION_TYPES = ("session", "intent")


async def create_session(request: Request) -> JSONResponse:
    """`POST /payments/sessions` `{orderId, type, automaticTaxEnabled}`: 201, in the shop's
    initial session status ("waiting" for the tea shop)."""
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
    link = payment_link_kind(account)
    url = f"{base_url(request)}/pay/{session_id}" if link != "none" else None
    delay = state.behaviours.payment_link_delay_seconds if link == "delayed" else 0.0
    now = state.now_iso()
    session = state.store_session(
        StoredSession(
            id=session_id,
            order_id=order.id,
            user_id=user["id"],
            type=kind,
            status=state.behaviours.session_statuses.initial,
            payment_account_id=account["id"],
            payment_account_identifier=account["identifier"],
            payment_url=url if not delay else None,
            amount=float(order.total_sum) if is_stripe else None,
            created_date=now,
            updated_date=now,
            client_secret=f"pi_{uuid.uuid4().hex}_secret_{uuid.uuid4().hex[:12]}"
            if is_stripe and kind == "intent"
            else None,
            pending_url=url if delay else None,
            link_at=state.now() + delay if delay else None,
        )
    )
    order.payment_url = session.payment_url
    return JSONResponse(render_session(session, base_url(request)), status_code=201)


async def session_by_id(request: Request) -> JSONResponse:
    user = current_user(request)
    state = state_of(request)
    session = state.session(path_int(request, "session_id"))
    if session.user_id != user["id"]:
        raise not_found(f"Payment session {session.id} not found")
    state.publish_due_links()
    return JSONResponse(render_session(session, base_url(request)))


async def sessions_by_order(request: Request) -> JSONResponse:
    """`GET /payments/sessions/order/{orderId}`: an ARRAY, newest session first."""
    user = current_user(request)
    state = state_of(request)
    order = state.order_for_user(path_int(request, "order_id"), user["id"])
    state.publish_due_links()
    sessions = sorted(
        (s for s in state.sessions.values() if s.order_id == order.id), key=lambda s: -s.id
    )
    url = base_url(request)
    return JSONResponse([render_session(s, url) for s in sessions])


async def list_sessions(request: Request) -> JSONResponse:
    """`GET /payments/sessions/?offset&limit`: the user's sessions as `{items, total}`."""
    user = current_user(request)
    state = state_of(request)
    offset = int_param(request, "offset", 0)
    limit = int_param(request, "limit", 30)
    state.publish_due_links()
    mine = sorted(
        (s for s in state.sessions.values() if s.user_id == user["id"]), key=lambda s: -s.id
    )
    url = base_url(request)
    page = [render_session(s, url) for s in mine[offset : offset + limit]]
    return JSONResponse({"items": page, "total": len(mine)})


async def list_accounts(request: Request) -> JSONResponse:
    """`GET /payments/accounts`: a bare array."""
    current_user(request)
    state = state_of(request)
    lang = request_lang(request)
    return JSONResponse([render_account(a, lang) for a in state.data["paymentAccounts"]])


async def account_by_id(request: Request) -> JSONResponse:
    current_user(request)
    state = state_of(request)
    account_id = path_int(request, "account_id")
    account = next((a for a in state.data["paymentAccounts"] if a["id"] == account_id), None)
    if account is None:
        raise not_found(f"Payment account {account_id} not found")
    return JSONResponse(render_account(account, request_lang(request)))
