"""`AiohttpTransport`: the crowd's HTTP under httpx's client API, sent by aiohttp.

Why: the crowd makes two or three HTTP calls per update the bot handles, on the same two
cores as the bot. httpx's own transport (httpcore) scans its pool on every call and parses
HTTP in Python; at the ceiling the crowd needed ~3 ms of CPU per update, as much as the bot
itself. The fake's driver takes any `httpx.AsyncClient`, so the crowd keeps the driver and
swaps only the transport underneath.
"""

from __future__ import annotations

import aiohttp
import httpx

# Headers httpx sets that aiohttp sets itself (or must not be told twice).
_OWN_HEADERS = frozenset({"host", "content-length", "connection", "transfer-encoding"})


class AiohttpTransport(httpx.AsyncBaseTransport):
    """One aiohttp session with an unbounded pool; httpx's timeouts become aiohttp's."""

    def __init__(self) -> None:
        self._session: aiohttp.ClientSession | None = None

    def _open_session(self) -> aiohttp.ClientSession:
        if self._session is None:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=0),
                auto_decompress=False,  # httpx decodes the body by its headers
            )
        return self._session

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        session = self._open_session()
        timeouts = request.extensions.get("timeout", {})
        headers = [(k, v) for k, v in request.headers.multi_items() if k not in _OWN_HEADERS]
        body = await request.aread()
        try:
            async with session.request(
                request.method,
                str(request.url),
                headers=headers,
                data=body or None,
                timeout=aiohttp.ClientTimeout(
                    total=None, sock_connect=timeouts.get("connect"), sock_read=timeouts.get("read")
                ),
            ) as response:
                content = await response.read()
                return httpx.Response(
                    response.status,
                    headers=[(k.decode(), v.decode()) for k, v in response.raw_headers],
                    content=content,
                    request=request,
                )
        except TimeoutError as error:
            raise httpx.ReadTimeout(str(error), request=request) from error
        except aiohttp.ClientError as error:
            raise httpx.TransportError(str(error)) from error

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
