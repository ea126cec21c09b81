"""The bot's Bot API transport (`AiohttpRequest`) against a real local HTTP server: what goes
on the wire, and how failures reach python-telegram-bot."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest, NetworkError, TimedOut
from telegram.request import RequestData

from application.bot_api_request import AiohttpRequest
from sandbox.serving import bind_socket, serve_in_background

TOKEN = "123456:TEST-token"
BOT_USER = {"id": 123456, "is_bot": True, "first_name": "Shop", "username": "shop_bot"}
MESSAGE = {
    "message_id": 7,
    "date": 1_700_000_000,
    "chat": {"id": 42, "type": "private"},
    "text": "hi",
}


@dataclass
class Received:
    """What the server saw (getMe aside), and an event a test can hold a request on."""

    requests: list[dict[str, Any]] = field(default_factory=list)
    hold: asyncio.Event = field(default_factory=asyncio.Event)


def _app(received: Received) -> Starlette:
    async def method(request: Request) -> Response:
        name = request.path_params["method"]
        content_type = request.headers.get("content-type", "")
        if content_type.startswith("multipart/form-data"):
            async with request.form() as form:
                body: dict[str, Any] = {
                    key: (await value.read() if hasattr(value, "read") else value)
                    for key, value in form.multi_items()
                }
        else:
            raw = await request.body()
            body = json.loads(raw) if raw else {}
        if name == "getMe":
            return JSONResponse({"ok": True, "result": BOT_USER})
        received.requests.append(
            {"method": name, "content_type": content_type, "body": body, "headers": request.headers}
        )
        if name == "hold":
            await received.hold.wait()
        if name == "refuse":
            return JSONResponse(
                {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}, 400
            )
        if name == "latin1":
            return Response(b'{"ok": true, "result": "caf\xe9"}', media_type="application/json")
        return JSONResponse({"ok": True, "result": MESSAGE})

    return Starlette(routes=[Route("/bot{token}/{method}", method, methods=["GET", "POST"])])


@pytest.fixture
async def server() -> AsyncIterator[tuple[str, Received]]:
    received = Received()
    async with serve_in_background(_app(received)) as url:
        yield url, received
        received.hold.set()


@pytest.fixture
async def request_() -> AsyncIterator[AiohttpRequest]:
    request = AiohttpRequest(read_timeout=5.0)
    await request.initialize()
    yield request
    await request.shutdown()


async def test_a_call_goes_as_one_json_body_with_native_values(
    server: tuple[str, Received], request_: AiohttpRequest
) -> None:
    url, received = server
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Add to cart", callback_data="a:1")]])
    async with Bot(TOKEN, base_url=f"{url}/bot", request=request_) as bot:
        message = await bot.send_message(42, "Tea <b>&</b>", reply_markup=keyboard)

    assert message.message_id == 7
    [call] = received.requests
    assert call["method"] == "sendMessage"
    assert call["content_type"] == "application/json"
    assert call["body"] == {
        "chat_id": 42,
        "text": "Tea <b>&</b>",
        "reply_markup": {"inline_keyboard": [[{"text": "Add to cart", "callback_data": "a:1"}]]},
    }
    assert call["headers"]["user-agent"].startswith("python-telegram-bot")


async def test_an_upload_goes_as_multipart_with_the_file(
    server: tuple[str, Received], request_: AiohttpRequest
) -> None:
    url, received = server
    async with Bot(TOKEN, base_url=f"{url}/bot", request=request_) as bot:
        await bot.send_document(42, InputFile(b"%PDF-1.4 receipt", filename="receipt.pdf"))

    [call] = received.requests
    assert call["content_type"].startswith("multipart/form-data")
    assert call["body"]["chat_id"] == "42"
    assert call["body"]["document"] == b"%PDF-1.4 receipt"


async def test_telegram_refusing_a_call_is_ptbs_bad_request(
    server: tuple[str, Received], request_: AiohttpRequest
) -> None:
    url, _ = server
    with pytest.raises(BadRequest, match="Chat not found"):
        await request_.post(f"{url}/bot{TOKEN}/refuse", RequestData())


async def test_an_answer_that_is_not_utf8_is_still_read(
    server: tuple[str, Received], request_: AiohttpRequest
) -> None:
    url, _ = server
    assert await request_.post(f"{url}/bot{TOKEN}/latin1", RequestData()) == "caf\ufffd"


async def test_a_silent_server_is_a_timeout_not_a_hang(server: tuple[str, Received]) -> None:
    url, received = server
    request = AiohttpRequest(read_timeout=0.05)
    await request.initialize()
    try:
        with pytest.raises(TimedOut):
            await request.post(f"{url}/bot{TOKEN}/hold", RequestData())
    finally:
        await request.shutdown()
    assert [call["method"] for call in received.requests] == ["hold"]


async def test_no_server_is_a_network_error() -> None:
    sock = bind_socket()  # a port that is certainly free once closed
    port = sock.getsockname()[1]
    sock.close()
    request = AiohttpRequest()
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as raised:
            await request.post(f"http://127.0.0.1:{port}/bot{TOKEN}/getMe", RequestData())
    finally:
        await request.shutdown()
    assert not isinstance(raised.value, TimedOut)


async def test_a_call_before_initialize_is_refused() -> None:
    with pytest.raises(RuntimeError, match="not initialized"):
        await AiohttpRequest().do_request("http://127.0.0.1:1/", "POST")


async def test_calls_go_through_the_proxy_the_environment_names(
    server: tuple[str, Received], monkeypatch: pytest.MonkeyPatch
) -> None:
    """HTTPS_PROXY/HTTP_PROXY are honoured as PTB's default transport did (here the test
    server plays the proxy: a proxied request carries the absolute URL as its target)."""
    url, received = server
    for name in ("http_proxy", "all_proxy", "ALL_PROXY", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", url)
    request = AiohttpRequest()
    await request.initialize()
    try:
        await request.post(f"http://telegram.invalid/bot{TOKEN}/sendMessage", RequestData())
    finally:
        await request.shutdown()
    [call] = received.requests
    assert call["method"] == "sendMessage"
    assert call["headers"]["host"] == "telegram.invalid"
