"""Control endpoints under `/__sandbox__/` for tests, the demo and the benchmark.

No app token is needed and everything is JSON. Each endpoint is a thin wrapper over a method
of `EmulatorState`, so in-process callers and HTTP callers get the same behaviour.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from sandbox.oneentry.errors import bad_request
from sandbox.oneentry.http_helpers import base_url, json_body, path_int, state_of
from sandbox.oneentry.order_views import render_session


async def _object_body(request: Request) -> dict[str, Any]:
    body = await json_body(request)
    if not isinstance(body, dict):
        raise bad_request("Request body must be a JSON object")
    return body


def _order_summary(order: Any) -> dict[str, Any]:
    return {
        "id": order.id,
        "statusIdentifier": order.status_identifier,
        "paymentStatusIdentifier": order.payment_status_identifier,
        "isCompleted": order.is_completed,
    }


async def add_fault(request: Request) -> JSONResponse:
    body = await _object_body(request)
    fault = state_of(request).add_fault(
        body.get("endpoint"),
        kind=body.get("kind", "status"),
        status=body.get("status", 503),
        count=body.get("count", 1),
        retry_after=body.get("retry_after"),
        message=body.get("message"),
    )
    return JSONResponse(fault.to_json(), status_code=201)


async def list_faults(request: Request) -> JSONResponse:
    return JSONResponse([fault.to_json() for fault in state_of(request).pending_faults()])


async def clear_faults(request: Request) -> JSONResponse:
    state_of(request).clear_faults()
    return JSONResponse([])


async def set_latency(request: Request) -> JSONResponse:
    body = await _object_body(request)
    state = state_of(request)
    state.set_latency(body.get("endpoint"), body.get("ms"))
    return JSONResponse(state.faults.latencies())


async def set_order_status(request: Request) -> JSONResponse:
    body = await _object_body(request)
    order = state_of(request).set_order_status(
        path_int(request, "order_id"), body.get("statusIdentifier")
    )
    return JSONResponse(_order_summary(order))


async def set_order_payment_status(request: Request) -> JSONResponse:
    body = await _object_body(request)
    order = state_of(request).set_order_payment_status(
        path_int(request, "order_id"), body.get("paymentStatusIdentifier")
    )
    return JSONResponse(_order_summary(order))


async def set_session_status(request: Request) -> JSONResponse:
    body = await _object_body(request)
    session = state_of(request).set_session_status(
        path_int(request, "session_id"), body.get("status")
    )
    return JSONResponse(render_session(session, base_url(request)))


async def publish_link(request: Request) -> JSONResponse:
    """A delayed payment link appears now (as the gateway eventually makes it)."""
    session = state_of(request).publish_payment_link(path_int(request, "session_id"))
    return JSONResponse(render_session(session, base_url(request)))


async def expire_session(request: Request) -> JSONResponse:
    """The gateway gives up on an open session: the shop's expired session status."""
    session = state_of(request).expire_session(path_int(request, "session_id"))
    return JSONResponse(render_session(session, base_url(request)))


async def get_behaviours(request: Request) -> JSONResponse:
    return JSONResponse(state_of(request).behaviours.to_json())


async def set_behaviours(request: Request) -> JSONResponse:
    """Flip some behaviour switches until the next reset; answers all of them."""
    behaviours = state_of(request).set_behaviours(await _object_body(request))
    return JSONResponse(behaviours.to_json())


async def expire_tokens(request: Request) -> JSONResponse:
    state_of(request).expire_access_tokens()
    return JSONResponse({"expired": True})


async def list_requests(request: Request) -> JSONResponse:
    return JSONResponse([record.to_json() for record in state_of(request).requests])


async def clear_requests(request: Request) -> JSONResponse:
    state_of(request).clear_requests()
    return JSONResponse([])


async def reset(request: Request) -> JSONResponse:
    state_of(request).reset()
    return JSONResponse({"reset": True})
