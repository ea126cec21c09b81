"""`OneEntryClient`: one object per OneEntry project, owning one pooled httpx client."""

from __future__ import annotations

import logging
from types import TracebackType
from typing import Self

import httpx

from ._auth_state import AuthState, device_metadata, new_device_id
from ._authenticator import Authenticator
from ._pipeline import Pipeline
from ._requester import CallObserver, Requester
from .aiohttp_transport import AiohttpTransport
from .credentials import GuestCredentials
from .resources import (
    AttributeSetsResource,
    AuthProvidersResource,
    FormsResource,
    LocalesResource,
    OrdersResource,
    PagesResource,
    PaymentsResource,
    ProductsResource,
)

__all__ = ["DEFAULT_LIMITS", "DEFAULT_MAX_RETRIES", "DEFAULT_TIMEOUT", "OneEntryClient"]

DEFAULT_TIMEOUT = httpx.Timeout(15.0, connect=5.0)
"""Connect fails fast; read/write/pool allow for a slow OneEntry under load."""

DEFAULT_LIMITS = httpx.Limits(max_connections=100)
DEFAULT_MAX_RETRIES = 2
DEFAULT_RETRY_BASE_DELAY = 0.5


def quiet_httpx_loggers() -> None:
    """httpx logs every full URL at INFO (query values included); keep that out of our logs."""
    for name in ("httpx", "httpcore"):
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET or logger.level < logging.WARNING:
            logger.setLevel(logging.WARNING)


class OneEntryClient:
    """Async client for the OneEntry Content API, with one resource group per SDK module.

    Use it as `async with OneEntryClient(...) as client:` or call `aclose()` when done. The
    guest user is logged in lazily, on the first call that needs a user (orders, payments);
    catalog and form reads go out without a token until one is held.
    """

    def __init__(
        self,
        project_url: str,
        app_token: str,
        *,
        credentials: GuestCredentials | None = None,
        lang: str = "en_US",
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        limits: httpx.Limits = DEFAULT_LIMITS,
        max_retries: int = DEFAULT_MAX_RETRIES,
        device_id: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        retry_base_delay: float = DEFAULT_RETRY_BASE_DELAY,
    ) -> None:
        if not project_url:
            raise ValueError("project_url is required")
        if max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        quiet_httpx_loggers()
        self.lang = lang
        self.device_id = device_id or new_device_id()
        self._http = httpx.AsyncClient(
            base_url=project_url.rstrip("/"),
            timeout=timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout),
            transport=transport or AiohttpTransport(limits),
            follow_redirects=False,
        )
        state = AuthState(self.device_id)
        secrets = [credentials.password] if credentials else []
        self._requester = requester = Requester(
            self._http,
            app_token=app_token,
            device_metadata=state.device_metadata,
            max_retries=max_retries,
            retry_base_delay=retry_base_delay,
            secrets=lambda: [*secrets, *state.secrets()],
        )
        authenticator = Authenticator(requester, state, credentials)
        pipeline = Pipeline(requester, authenticator, state)
        self.auth = AuthProvidersResource(authenticator)
        self.products = ProductsResource(pipeline, lang)
        self.forms = FormsResource(pipeline, lang)
        self.locales = LocalesResource(pipeline, lang)
        self.pages = PagesResource(pipeline, lang)
        self.attribute_sets = AttributeSetsResource(pipeline, lang)
        self.orders = OrdersResource(pipeline, lang)
        self.payments = PaymentsResource(pipeline, lang)

    def observe_calls(self, observer: CallObserver | None) -> None:
        """Tell `observer` of every attempt sent (its endpoint, outcome and duration): how
        the application counts OneEntry calls without this client knowing of metrics."""
        self._requester.observer = observer

    @property
    def device_metadata(self) -> str:
        """The `x-device-metadata` value; persist `device_id` to keep it across restarts."""
        return device_metadata(self.device_id)

    @property
    def is_closed(self) -> bool:
        return self._http.is_closed

    async def aclose(self) -> None:
        """Close the connection pool. The client cannot be used afterwards."""
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        await self._http.__aenter__()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"OneEntryClient({str(self._http.base_url)!r}, lang={self.lang!r})"
