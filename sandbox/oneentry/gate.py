"""The ASGI layer in front of the API routes: request log, latency, faults, and the header rules.

For every `/api/content/...` call, in this order:
1. the call is logged (headers and body redacted) and named after the route it matches;
2. injected latency is awaited, then an injected fault, if any, takes over the call;
3. `x-app-token` must be the project's token: a wrong or missing one answers
   403 "Resource is closed" (platform rules, content-api-reads; reference, Cautions);
4. a POST must carry `x-device-metadata` (400 "Missing x-device-metadata header").
Faults act before the header rules because they stand for the network and the proxy in front of
the real API. Closing a connection without an answer needs the transport; uvicorn's request
cycle exposes it, and if another server is used the emulator falls back to a response that
promises more body than it sends, which clients also see as a broken connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl

from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sandbox.oneentry.errors import error_response, iso_now
from sandbox.oneentry.faults import Fault
from sandbox.oneentry.request_log import RequestRecord, redact_body, redact_headers
from sandbox.oneentry.state import RESOURCE_IS_CLOSED, EmulatorState

API_PREFIX = "/api/content/"


def _parse_body(raw: bytes) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive callable that hands the buffered body to the app once, then defers."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _wait_for_disconnect(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


async def _close_connection(receive: Receive, send: Send, started: bool = False) -> None:
    """Close the client's connection with no (further) answer."""
    transport = getattr(getattr(receive, "__self__", None), "transport", None)
    if transport is not None:
        transport.close()
        await _wait_for_disconnect(receive)
        return
    if not started:
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-length", b"1024")],
            }
        )
    await send({"type": "http.response.body", "body": b"{", "more_body": True})


class EmulatorGate:
    """Pure ASGI middleware wrapping the routed app; see the module docstring."""

    def __init__(self, app: ASGIApp, state: EmulatorState, routes: list[BaseRoute]) -> None:
        self.app = app
        self.state = state
        self.routes = routes

    def _endpoint_name(self, scope: Scope) -> str | None:
        for route in self.routes:
            match, _ = route.matches(scope)
            if match is Match.FULL:
                return getattr(route, "name", None)
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(API_PREFIX):
            await self.app(scope, receive, send)
            return
        raw_body = await _read_body(receive)
        endpoint = self._endpoint_name(scope)
        record = RequestRecord(
            endpoint=endpoint,
            method=scope["method"],
            path=scope["path"],
            query=dict(_query_pairs(scope)),
            status=None,
            headers=redact_headers(scope["headers"]),
            body=redact_body(_parse_body(raw_body)),
            at=iso_now(),
        )
        self.state.requests.append(record)

        async def logged_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                record.status = message["status"]
            await send(message)

        delay = self.state.faults.latency_seconds(endpoint)
        if delay:
            # The latency knob; cut short when the emulator stops, so stopping never waits.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.state.faults.wait_for_release(), delay)
        fault = self.state.faults.take(endpoint) if endpoint else None
        app_receive = _replay(raw_body, receive)
        if fault is not None:
            await self._inject(fault, scope, app_receive, receive, logged_send, send)
            return
        refusal = self._refusal(scope)
        if refusal is not None:
            await refusal(scope, app_receive, logged_send)
            return
        await self.app(scope, app_receive, logged_send)

    def _refusal(self, scope: Scope) -> Any:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if headers.get("x-app-token") != self.state.app_token:
            return error_response(403, RESOURCE_IS_CLOSED)
        if scope["method"] == "POST" and "x-device-metadata" not in headers:
            return error_response(400, "Missing x-device-metadata header")
        return None

    async def _inject(
        self,
        fault: Fault,
        scope: Scope,
        app_receive: Receive,
        receive: Receive,
        logged_send: Send,
        send: Send,
    ) -> None:
        if fault.kind == "status":
            headers: dict[str, str] = {}
            if fault.retry_after is not None or fault.status == 429:
                headers["Retry-After"] = _seconds(
                    fault.retry_after if fault.retry_after is not None else 1
                )
            message = fault.message or _default_message(fault.status)
            await error_response(fault.status, message, headers)(scope, app_receive, logged_send)
        elif fault.kind == "timeout":
            await self._hold(receive, send)
        elif fault.kind == "drop":
            await _close_connection(receive, send)
        else:  # drop_after_store: the app handles the call, the client never hears back
            await self._drop_after_store(scope, app_receive, receive, send)

    async def _hold(self, receive: Receive, send: Send) -> None:
        """Never answer: wait until the client gives up, or the emulator stops."""
        client_gone = asyncio.ensure_future(_wait_for_disconnect(receive))
        released = asyncio.ensure_future(self.state.faults.wait_for_release())
        done, pending = await asyncio.wait(
            {client_gone, released}, return_when=asyncio.FIRST_COMPLETED
        )
        for task in pending:
            task.cancel()
        if released in done and client_gone not in done:
            await _close_connection(receive, send)

    async def _drop_after_store(
        self, scope: Scope, app_receive: Receive, receive: Receive, send: Send
    ) -> None:
        captured: list[Message] = []

        async def capture(message: Message) -> None:
            captured.append(message)

        await self.app(scope, app_receive, capture)
        start = next(m for m in captured if m["type"] == "http.response.start")
        body = b"".join(m.get("body", b"") for m in captured if m["type"] == "http.response.body")
        await send(start)
        await send(
            {"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True}
        )
        await _close_connection(receive, send, started=True)


def _query_pairs(scope: Scope) -> list[tuple[str, str]]:
    return parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)


def _seconds(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _default_message(status: int) -> str:
    return HTTPStatus(status).phrase
