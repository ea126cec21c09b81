"""The Bot API routes: `/bot<token>/<method>` and `/file/bot<token>/<path>`.

Every request goes the same way: authenticate the token, read the parameters (query string,
form, multipart or JSON), validate them against the vendored spec and the prose limits (a
violation is answered as Telegram answers it AND recorded as a finding), refuse it with 429 if
flood control is on and the call is over Telegram's limits, fire an injected fault if one
matches, then run the method. Errors are raised as BotApiError and turned into the
envelope by the app's one exception handler.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from sandbox.telegram import people
from sandbox.telegram.chats import Chat
from sandbox.telegram.errors import BotApiError
from sandbox.telegram.faults import Fault
from sandbox.telegram.files import UploadedFile
from sandbox.telegram.json_response import JSONResponse
from sandbox.telegram.limits import check_request
from sandbox.telegram.methods import ATTACHMENTS, HANDLERS, Answer
from sandbox.telegram.records import Call
from sandbox.telegram.state import FakeState
from sandbox.telegram.waiting import ClientGone, ServerClosing, unless_client_leaves

# Status a held or abandoned request ends with; the client has gone, so nobody reads it.
_ABANDONED = 499


async def read_params(request: Request) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
    """All parameters of a request, and the uploads only referenced as attach://<name>."""
    raw: dict[str, Any] = dict(request.query_params)
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        body = await request.body()
        if body:
            try:
                data = json.loads(body)
            except ValueError:
                raise BotApiError(400, "can't parse JSON encoded request") from None
            if not isinstance(data, dict):
                raise BotApiError(400, "JSON object expected")
            raw.update(data)
    elif content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        async with request.form() as form:
            for key, value in form.multi_items():
                if isinstance(value, UploadFile):
                    raw[key] = UploadedFile(
                        value.filename or key,
                        value.content_type or "application/octet-stream",
                        await value.read(),
                    )
                else:
                    raw[key] = value
    else:
        await request.body()
    texts = [v for v in raw.values() if isinstance(v, str)]
    attachments = {
        key: value
        for key, value in raw.items()
        if isinstance(value, UploadedFile) and any(f"attach://{key}" in t for t in texts)
    }
    for key in attachments:
        del raw[key]
    return raw, attachments


async def bot_method(request: Request) -> Response:
    state: FakeState = request.app.state.fake
    raw_method = request.path_params["method"]
    state.bot.authenticate(request.path_params["token"])
    raw, attachments = await read_params(request)
    try:
        method, params = request.app.state.spec.decode(raw_method, raw)
        params = check_request(method, params)
    except BotApiError as exc:
        state.records.find("spec", raw_method, f"{exc.description} (params: {sorted(raw)})")
        _finish(state.records.start_call(raw_method, raw), exc)
        raise
    call = state.records.start_call(method, params)
    if attachments:
        params[ATTACHMENTS] = attachments
    try:
        return await _run(request, state, method, params, call)
    except BotApiError as exc:
        _finish(call, exc)
        raise


async def _run(
    request: Request, state: FakeState, method: str, params: dict[str, Any], call: Call
) -> Response:
    state.flood.admit(method, params)
    fault = state.faults.take(method, params)
    if fault is not None and not fault.carries_out:
        return await _inject(request, state, method, params, call, fault)
    handler = HANDLERS.get(method)
    if handler is None:
        state.records.find("unimplemented", method, f"{method} is not implemented by the fake")
        raise BotApiError(500, f"method {method} is not implemented by the fake")
    try:
        outcome = await unless_client_leaves(request, handler(state, params))
    except (ClientGone, ServerClosing):
        call.description = "the client went away before the answer"
        return Response(status_code=_ABANDONED)
    except BotApiError as exc:
        if exc.detail == "chat not found":
            state.records.find("unknown_chat", method, f"chat {params.get('chat_id')} not found")
        raise
    answer = outcome if isinstance(outcome, Answer) else Answer(outcome)
    call.ok, call.result = True, answer.result
    if fault is not None:  # carried out; the answer is lost on its way back
        return await _hold(request, state, call)
    body: dict[str, Any] = {"ok": True, "result": answer.result}
    if answer.description is not None:
        body["description"] = answer.description
    return JSONResponse(body)


async def _inject(
    request: Request,
    state: FakeState,
    method: str,
    params: dict[str, Any],
    call: Call,
    fault: Fault,
) -> Response:
    """An injected fault takes the call instead of the method: nothing it asked for happens.
    A callback query whose answer it took is not reported as unanswered (the bot did answer;
    the fault lost it)."""
    if method == "answerCallbackQuery":
        state.callbacks.lose_answer(str(params.get("callback_query_id")))
    if fault.blocks:
        chat = _chat_of(state, method, params)
        if chat is not None and chat.user is not None:
            people.set_blocked(state, chat, True)
    if fault.holds:
        return await _hold(request, state, call)
    raise fault.error_for()


def _chat_of(state: FakeState, method: str, params: dict[str, Any]) -> Chat | None:
    """The chat a call is about: its `chat_id`, or the chat of the query it answers."""
    if method == "answerCallbackQuery":
        query = state.callbacks.queries.get(str(params.get("callback_query_id")))
        return state.directory.chats.get(query.chat_id) if query is not None else None
    chat_id = params.get("chat_id")
    if chat_id is None:
        return None
    try:
        return state.directory.chat(chat_id)
    except BotApiError:
        return None


async def _hold(request: Request, state: FakeState, call: Call) -> Response:
    """An injected timeout: answer nothing until the client gives up or the fake stops (a
    test waiting for the held call is told it came)."""
    call.description = "held by an injected timeout"
    state.changes.notify()
    with contextlib.suppress(ClientGone):
        await unless_client_leaves(request, state.changes.wait_closed())
    return Response(status_code=_ABANDONED)


def _finish(call: Call, exc: BotApiError) -> None:
    call.ok, call.error_code, call.description = False, exc.error_code, exc.description


async def file_download(request: Request) -> Response:
    state: FakeState = request.app.state.fake
    state.bot.authenticate(request.path_params["token"])
    stored = state.files.by_path(request.path_params["path"])
    if stored is None or stored.data is None:
        raise BotApiError(404, "file not found")
    return Response(stored.data, media_type="application/octet-stream")
