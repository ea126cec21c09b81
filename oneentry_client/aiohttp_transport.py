"""`AiohttpTransport`: httpx's client API, with aiohttp carrying the requests.

Why: httpx's own transport (httpcore 1.0) scans its whole pool, with a socket poll per idle
connection, on every request and every response, and parses HTTP in Python. Under load two
OneEntry calls per order cost the bot as much CPU as its twenty Bot API calls
(docs/benchmarks.md). aiohttp keeps idle connections in a per-host queue and parses in C.
The client keeps httpx's API (requests, responses, timeouts, errors); only this layer under
it changes, so the rest of the client cannot tell.

Errors keep httpx's meaning, which the retry policy and the exactly-once rules read:
`ConnectError`/`ConnectTimeout` only when no byte of the request left (the connection never
opened, or no pooled connection came free); anything after that is a read, protocol or
transport error, so a create that failed there counts as "may have been processed".
"""

from __future__ import annotations

import urllib.request
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import httpx

# Headers httpx sets that aiohttp sets itself (sending them twice would be wrong).
_OWN_HEADERS = frozenset({"host", "content-length", "connection", "transfer-encoding"})


class AiohttpTransport(httpx.AsyncBaseTransport):
    """One aiohttp session (opened on first use, in the running loop) for an httpx client;
    `limits.max_connections` bounds its pool (None: unbounded). With `trust_env` (httpx's
    default too) a proxy named in the environment (HTTPS_PROXY, NO_PROXY, ...) is used; it is
    looked up once per host, not per request as aiohttp's own `trust_env` does (it also
    reads ~/.netrc each time: ~10 % of the bot's CPU at the ceiling)."""

    def __init__(self, limits: httpx.Limits, *, trust_env: bool = True) -> None:
        self._limits = limits
        self._proxies = EnvironmentProxies(enabled=trust_env)
        self._session: aiohttp.ClientSession | None = None

    def _open_session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(
                    limit=self._limits.max_connections or 0,
                    keepalive_timeout=self._limits.keepalive_expiry or 15.0,
                ),
                auto_decompress=False,  # httpx decodes the body by its headers
            )
        return self._session

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        session = self._open_session()
        headers = [(k, v) for k, v in request.headers.multi_items() if k not in _OWN_HEADERS]
        body = await request.aread()
        url = str(request.url)
        try:
            async with session.request(
                request.method,
                url,
                headers=headers,
                data=body or None,
                timeout=_timeout(request.extensions.get("timeout", {})),
                allow_redirects=False,
                proxy=self._proxies.for_url(url),
            ) as response:
                content = await response.read()
                return httpx.Response(
                    response.status,
                    headers=[
                        (k.decode("latin-1"), v.decode("latin-1")) for k, v in response.raw_headers
                    ],
                    content=content,
                    request=request,
                )
        except aiohttp.ConnectionTimeoutError as error:
            raise httpx.ConnectTimeout(str(error) or "connect timeout", request=request) from error
        except aiohttp.ClientConnectorError as error:
            raise httpx.ConnectError(str(error), request=request) from error
        except TimeoutError as error:  # aiohttp's socket read timeout, or the total
            raise httpx.ReadTimeout(str(error) or "read timeout", request=request) from error
        except (aiohttp.ServerDisconnectedError, aiohttp.ClientPayloadError) as error:
            raise httpx.RemoteProtocolError(str(error), request=request) from error
        except aiohttp.ClientResponseError as error:
            raise httpx.RemoteProtocolError(str(error), request=request) from error
        except aiohttp.ClientOSError as error:
            raise httpx.ReadError(str(error), request=request) from error
        except aiohttp.ClientError as error:
            raise httpx.TransportError(str(error), request=request) from error

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


class EnvironmentProxies:
    """The proxy the environment names for each URL's scheme and host (HTTPS_PROXY,
    ALL_PROXY, ...), unless NO_PROXY exempts the host: what httpx would use. Looked up once
    per scheme and host, since reading the environment on every request costs (nothing when
    not `enabled`)."""

    def __init__(self, *, enabled: bool = True) -> None:
        self._enabled = enabled
        self._found: dict[tuple[str, str], str | None] = {}

    def for_url(self, url: str) -> str | None:
        parts = urlsplit(url)
        key = (parts.scheme, parts.hostname or "")
        if key not in self._found:
            self._found[key] = _environment_proxy(*key) if self._enabled else None
        return self._found[key]


def _environment_proxy(scheme: str, host: str) -> str | None:
    if urllib.request.proxy_bypass(host):
        return None
    proxies = urllib.request.getproxies()
    return proxies.get(scheme) or proxies.get("all")


def _timeout(timeouts: dict[str, Any]) -> aiohttp.ClientTimeout:
    """httpx's timeouts as aiohttp's: the wait for a pooled connection and the connect
    together, then each socket read. (aiohttp has no write timeout.)"""
    pool, connect = timeouts.get("pool"), timeouts.get("connect")
    return aiohttp.ClientTimeout(
        total=None,
        connect=None if pool is None or connect is None else pool + connect,
        sock_connect=connect,
        sock_read=timeouts.get("read"),
    )
