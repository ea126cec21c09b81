"""Order storage and order endpoints (all need a user Bearer).

Orders belong to the user who created them; another user gets 404, as for a missing order.
`PUT` takes the create-shaped body and may carry `statusMarker`; the emulator honours it when it
is one of the storage's statuses (the Rules cancel recipe relies on it; unverified on the real
API) and refuses an unknown one with 400.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from sandbox.oneentry.errors import bad_request
from sandbox.oneentry.http_helpers import (
    base_url,
    current_user,
    int_param,
    json_body,
    path_int,
    request_lang,
    state_of,
)
from sandbox.oneentry.order_rules import ValidOrder, check_order_body
from sandbox.oneentry.order_views import (
    render_order,
    render_order_created,
    render_order_status,
    render_storage,
)
from sandbox.oneentry.records import StoredOrder
from sandbox.oneentry.state import EmulatorState


def _check(state: EmulatorState, storage: dict[str, Any], body: object) -> ValidOrder:
    form = state.form(storage["formIdentifier"])
    catalogue = {p["id"]: p for p in state.visible_products()}
    return check_order_body(
        body,
        storage,
        form,
        catalogue,
        state.shop.currency,
        price_attribute=state.shop.price_attribute,
        default_lang=state.default_lang,
    )


def _render_read(request: Request, order: StoredOrder) -> dict[str, Any]:
    state = state_of(request)
    storage = state.storage_by_id(order.storage_id)
    return render_order(
        order,
        storage,
        state.account(order.payment_account_identifier),
        request_lang(request),
        base_url(request),
        form_data_as_language_map=state.behaviours.form_data_as_language_map,
    )


async def list_storages(request: Request) -> JSONResponse:
    """`GET /orders-storage?langCode&limit&offset`: a bare array."""
    current_user(request)
    state = state_of(request)
    lang = request_lang(request)
    offset = int_param(request, "offset", 0)
    limit = int_param(request, "limit", 30)
    storages = state.data["orderStorages"][offset : offset + limit]
    return JSONResponse([render_storage(s, lang) for s in storages])


async def storage_by_marker(request: Request) -> JSONResponse:
    current_user(request)
    storage = state_of(request).storage(request.path_params["marker"])
    return JSONResponse(render_storage(storage, request_lang(request)))


async def create_order(request: Request) -> JSONResponse:
    """`POST /marker/{marker}/orders`: 201 with the create shape (`totalSum` a number)."""
    user = current_user(request)
    state = state_of(request)
    storage = state.storage(request.path_params["marker"])
    valid = _check(state, storage, await json_body(request))
    default_status = next(s for s in storage["orderStatuses"] if s.get("isDefault"))
    default_payment = next(s for s in storage["paymentStatuses"] if s.get("isDefault"))
    order = state.store_order(
        StoredOrder(
            id=state.next_order_id(),
            storage_id=storage["id"],
            storage_identifier=storage["identifier"],
            user_id=user["id"],
            form_identifier=valid.form_identifier,
            form_data=valid.form_data,
            form_lang=valid.form_lang,
            lines=valid.lines,
            requested_products=valid.requested_products,
            currency=valid.currency,
            total_sum=valid.total_sum,
            status_identifier=default_status["identifier"],
            payment_status_identifier=default_payment["identifier"],
            payment_account_identifier=valid.payment_account_identifier,
            created_date=state.now_iso(),
        )
    )
    return JSONResponse(render_order_created(order), status_code=201)


async def list_orders(request: Request) -> JSONResponse:
    """`GET /marker/{marker}/orders?langCode&limit&offset`: the user's orders, in the order of
    `behaviours.orderListOrder` (by creation date), paged in that order."""
    user = current_user(request)
    state = state_of(request)
    storage = state.storage(request.path_params["marker"])
    offset = int_param(request, "offset", 0)
    limit = int_param(request, "limit", 30)
    state.publish_due_links()
    mine = state.orders_in_list_order(
        [
            o
            for o in state.orders.values()
            if o.user_id == user["id"] and o.storage_id == storage["id"]
        ]
    )
    items = [_render_read(request, o) for o in mine[offset : offset + limit]]
    return JSONResponse({"items": items, "total": len(mine)})


async def get_order(request: Request) -> JSONResponse:
    user = current_user(request)
    state = state_of(request)
    marker = request.path_params["marker"]
    state.storage(marker)
    order = state.order_for_user(path_int(request, "order_id"), user["id"], marker)
    state.publish_due_links()
    return JSONResponse(_render_read(request, order))


async def update_order(request: Request) -> JSONResponse:
    """`PUT /marker/{marker}/orders/{id}`: replace the order's data; answers the create shape."""
    user = current_user(request)
    state = state_of(request)
    storage = state.storage(request.path_params["marker"])
    order = state.order_for_user(path_int(request, "order_id"), user["id"], storage["identifier"])
    body = await json_body(request)
    valid = _check(state, storage, body)
    status_marker = body.get("statusMarker") if isinstance(body, dict) else None
    if status_marker is not None and status_marker not in {
        s["identifier"] for s in storage["orderStatuses"]
    }:
        raise bad_request(f"Unknown statusMarker '{status_marker}'")
    order.form_data = valid.form_data
    order.form_lang = valid.form_lang
    order.lines = valid.lines
    order.requested_products = valid.requested_products
    order.currency = valid.currency
    order.total_sum = valid.total_sum
    order.payment_account_identifier = valid.payment_account_identifier
    if status_marker is not None:
        order.status_identifier = status_marker
    return JSONResponse(render_order_created(order))


async def order_statuses(request: Request) -> JSONResponse:
    """`GET /marker/{marker}/order-statuses`: a bare array; `isUsed` when an order has it."""
    current_user(request)
    state = state_of(request)
    storage = state.storage(request.path_params["marker"])
    lang = request_lang(request)
    offset = int_param(request, "offset", 0)
    limit = int_param(request, "limit", 30)
    used = {o.status_identifier for o in state.orders.values() if o.storage_id == storage["id"]}
    statuses = list(enumerate(storage["orderStatuses"], start=1))[offset : offset + limit]
    return JSONResponse(
        [render_order_status(s, lang, i, s["identifier"] in used) for i, s in statuses]
    )
