"""Serve a stand-in's ASGI app on 127.0.0.1 with uvicorn: inside a test's event loop, or as a
command-line server.

The listening socket is bound before uvicorn starts, so the URL is usable the moment it is
returned: connections wait in the backlog until uvicorn accepts them. No polling, no sleeps.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Callable, Iterator

import uvicorn
from starlette.types import ASGIApp


class _EmbeddedServer(uvicorn.Server):
    """A uvicorn server that leaves the host process's signal handlers alone."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def bind_socket(host: str = "127.0.0.1", port: int = 0) -> socket.socket:
    """A listening TCP socket; port 0 picks a free one."""
    # IPPROTO_TCP explicitly: asyncio enables TCP_NODELAY only on sockets that name it,
    # and without it every request on a kept-alive connection waits ~40 ms for delayed ACKs.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.setblocking(False)
    return sock


def _config(app: ASGIApp, log_level: str) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        log_level=log_level,
        access_log=False,
        proxy_headers=False,  # nothing proxies a stand-in; one middleware less per request
        lifespan="on",
        # Long polls and injected timeouts hold connections open; never cut them short.
        timeout_keep_alive=75,
        timeout_graceful_shutdown=1,
    )


@contextlib.asynccontextmanager
async def serve_in_background(
    app: ASGIApp, host: str = "127.0.0.1", port: int = 0, log_level: str = "warning"
) -> AsyncIterator[str]:
    """Run `app` as a task of the current event loop; yield its base URL; stop it on exit."""
    sock = bind_socket(host, port)
    server = _EmbeddedServer(_config(app, log_level))
    task = asyncio.create_task(server.serve(sockets=[sock]), name=f"uvicorn:{host}")
    bound_host, bound_port = sock.getsockname()[:2]
    try:
        yield f"http://{bound_host}:{bound_port}"
    finally:
        server.should_exit = True
        try:
            await task
        finally:
            sock.close()


def run_forever(
    app: ASGIApp,
    host: str,
    port: int,
    banner: Callable[[str], str],
    log_level: str = "warning",
) -> None:
    """Serve `app` until interrupted, first printing `banner(base_url)` for the user."""
    sock = bind_socket(host, port)
    bound_host, bound_port = sock.getsockname()[:2]
    print(banner(f"http://{bound_host}:{bound_port}"), flush=True)
    uvicorn.Server(_config(app, log_level)).run(sockets=[sock])
