"""`AiohttpRequest`: python-telegram-bot's Bot API transport, on aiohttp instead of httpx.

Why: under load every update costs one or two Bot API calls, and the transport was the bot's
largest cost. httpx (httpcore 1.0) scans its whole connection pool on every request and every
response; with a pool of 256 busy connections that was ~38 % of the bot's CPU, growing with the
load (docs/benchmarks.md). aiohttp keeps idle connections in a per-host queue and parses HTTP
in C, so a call costs the same at any load. PTB supports exactly this swap: any `BaseRequest`
subclass may carry its calls; PTB still builds the requests and reads the answers.

Parameters go as one JSON body (Telegram accepts JSON as well as forms), encoded and decoded
with orjson, as PTB's `RequestData` docs suggest for a faster JSON library: a form costs a
`json.dumps` per parameter plus URL quoting on the way out, and a form parser on the way in.
"""

from __future__ import annotations

from typing import Final, cast

import aiohttp
import orjson
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import JSONDict, ODVInput, UploadFileDict
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from application.metrics import BotMetrics
from oneentry_client.aiohttp_transport import EnvironmentProxies

DEFAULT_POOL_SIZE: Final = 256
JSON_HEADERS: Final = {"Content-Type": "application/json"}
POOL_TIMEOUT_MESSAGE: Final = (
    "Pool timeout: all connections in the pool are in use; the request was not sent to Telegram."
)


class AiohttpRequest(BaseRequest):
    """One pooled aiohttp session for the bot's Bot API calls (PTB makes one instance for
    `getUpdates` and one for everything else). Every answer's status goes to `metrics`
    (the 429s, and when getUpdates last answered)."""

    def __init__(
        self,
        *,
        connection_pool_size: int = DEFAULT_POOL_SIZE,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
        metrics: BotMetrics | None = None,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        # HTTPS_PROXY/NO_PROXY, as PTB's own (httpx) transport honoured them.
        self._proxies = EnvironmentProxies()
        self._session: aiohttp.ClientSession | None = None
        self._metrics = metrics

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size, limit_per_host=0),
                headers={"User-Agent": self.USER_AGENT},
                # PTB reads the status and the body itself; never raise for a status.
                raise_for_status=False,
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """See `BaseRequest.do_request`: send, and return the status and the raw body."""
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data else None
        timeout = self._timeout(
            read_timeout, write_timeout, connect_timeout, pool_timeout, has_files=bool(files)
        )
        if request_data is not None and files:
            body: aiohttp.FormData | bytes | None = _multipart(request_data, files)
            headers = None
        elif request_data is not None and request_data.parameters:
            body, headers = orjson.dumps(request_data.parameters), JSON_HEADERS
        else:
            body, headers = None, None
        try:
            async with self._session.request(
                method,
                url,
                data=body,
                headers=headers,
                timeout=timeout,
                proxy=self._proxies.for_url(url),
            ) as response:
                answer = await response.read()
        except aiohttp.ConnectionTimeoutError as error:
            # aiohttp's connect timeout covers the wait for a free pooled connection too.
            raise TimedOut(POOL_TIMEOUT_MESSAGE) from error
        except (TimeoutError, aiohttp.ServerTimeoutError) as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error
        if self._metrics is not None:
            self._metrics.bot_api_answered(url.rsplit("/", 1)[-1], response.status)
        return response.status, answer

    @staticmethod
    def parse_json_payload(payload: bytes) -> JSONDict:
        """Telegram's answer, decoded with orjson; PTB's lenient decoder (it replaces invalid
        UTF-8) for anything orjson refuses."""
        try:
            return cast(JSONDict, orjson.loads(payload))  # Telegram answers with an object
        except orjson.JSONDecodeError:
            return BaseRequest.parse_json_payload(payload)

    def _timeout(
        self,
        read_timeout: ODVInput[float],
        write_timeout: ODVInput[float],
        connect_timeout: ODVInput[float],
        pool_timeout: ODVInput[float],
        *,
        has_files: bool,
    ) -> aiohttp.ClientTimeout:
        """aiohttp's timeouts for one call. aiohttp has no separate write timeout: the read
        timeout starts once the body is sent, so an upload is bounded by the whole-call
        total of write + read."""
        read = self._read_timeout if isinstance(read_timeout, DefaultValue) else read_timeout
        connect = (
            self._connect_timeout if isinstance(connect_timeout, DefaultValue) else connect_timeout
        )
        pool = self._pool_timeout if isinstance(pool_timeout, DefaultValue) else pool_timeout
        default_write = self._media_write_timeout if has_files else self._write_timeout
        write = default_write if isinstance(write_timeout, DefaultValue) else write_timeout
        return aiohttp.ClientTimeout(
            total=_sum(connect, pool, write, read),
            connect=_sum(connect, pool),
            sock_connect=connect,
            sock_read=read,
        )


def _multipart(request_data: RequestData, files: UploadFileDict) -> aiohttp.FormData:
    """An upload, as PTB's own transport sends it: the parameters JSON-encoded one by one,
    and the files, in one multipart form."""
    form = aiohttp.FormData(request_data.json_parameters)
    for name, (filename, content, mime_type) in files.items():
        form.add_field(name, content, filename=filename, content_type=mime_type)
    return form


def _sum(*parts: float | None) -> float | None:
    """None (no limit) if any part is unlimited."""
    if any(part is None for part in parts):
        return None
    return float(sum(part for part in parts if part is not None))
