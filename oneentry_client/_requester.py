"""The one place that touches the wire: headers, retries, logging, error mapping, parsing.

Resource methods describe calls (`ApiCall`); the pipeline adds authentication on top of this.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

import httpx
from pydantic import TypeAdapter, ValidationError

from ._call import ApiCall, AuthMode
from ._normalize import unwrap_language
from .errors import (
    APIConnectionError,
    APITimeoutError,
    OneEntryError,
    OutcomeUnknownError,
    ResponseValidationError,
    error_message_from_body,
    make_status_error,
)
from .retry import RetryPolicy, never_sent, parse_retry_after, retry_delay, should_retry

__all__ = ["CallObserver", "Requester"]

log = logging.getLogger("oneentry_client")

ResultT = TypeVar("ResultT")


@functools.lru_cache(maxsize=128)
def _adapter(cast_to: Any) -> TypeAdapter[Any]:
    return TypeAdapter(cast_to)


def _describe_validation_error(error: ValidationError) -> str:
    """Where the body did not fit, without echoing the values (they may be personal data)."""
    problems = [
        f"{'.'.join(str(part) for part in item['loc']) or '<root>'}: {item['msg']}"
        for item in error.errors(include_input=False, include_url=False)[:5]
    ]
    return "; ".join(problems)


class CallObserver(Protocol):
    """Told of every attempt sent to OneEntry: the endpoint (`ApiCall.endpoint`), the
    outcome (the HTTP status, or the transport error's name) and how long it took. The
    application's metrics install one; it must return at once and never raise."""

    def __call__(self, endpoint: str, outcome: str, seconds: float) -> None: ...


class Requester:
    """Sends one `ApiCall` with the SDK's headers and the retry policy; maps every failure."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        app_token: str,
        device_metadata: str,
        max_retries: int,
        retry_base_delay: float,
        secrets: Callable[[], list[str]],
    ) -> None:
        self._http = http
        self._app_token = app_token
        self._device_metadata = device_metadata
        self._max_retries = max_retries
        self._retry_base_delay = retry_base_delay
        self._secrets = secrets
        self.observer: CallObserver | None = None

    def headers(self, call: ApiCall, access_token: str | None) -> dict[str, str]:
        """Exactly what the SDK sends: app token always, device metadata on POST, Bearer if held."""
        headers = {"Content-Type": "application/json", "x-app-token": self._app_token}
        if call.method == "POST":
            headers["x-device-metadata"] = self._device_metadata
        if access_token and call.auth is not AuthMode.NONE:
            headers["Authorization"] = f"Bearer {access_token}"
        return headers

    async def send(self, call: ApiCall, access_token: str | None) -> httpx.Response:
        """The final response (any status) after the retries the call's policy allows."""
        headers = self.headers(call, access_token)
        attempt = 0
        while True:
            started = time.perf_counter()
            try:
                response = await self._http.request(
                    call.method, call.path, params=call.params, json=call.json, headers=headers
                )
            except httpx.TransportError as exc:
                self._observe(call, type(exc).__name__, started)
                self._log(call, type(exc).__name__, started, attempt, logging.WARNING)
                if attempt < self._max_retries and should_retry(call.retry, error=exc):
                    await asyncio.sleep(retry_delay(attempt, None, self._retry_base_delay))
                    attempt += 1
                    continue
                raise self._transport_error(call, exc) from exc
            level = logging.INFO if response.is_success else logging.WARNING
            self._observe(call, str(response.status_code), started)
            self._log(call, str(response.status_code), started, attempt, level)
            status = response.status_code
            if attempt < self._max_retries and should_retry(call.retry, status=status):
                retry_after = parse_retry_after(response.headers.get("retry-after"))
                await asyncio.sleep(retry_delay(attempt, retry_after, self._retry_base_delay))
                attempt += 1
                continue
            return response

    def raise_for_status(self, call: ApiCall, response: httpx.Response) -> None:
        """Raise the mapped APIStatusError for a 4xx/5xx response."""
        if response.is_success:
            return
        try:
            body: Any = response.json()
        except ValueError:
            body = response.text
        message = error_message_from_body(body, response.reason_phrase or "HTTP error")
        raise make_status_error(
            response.status_code,
            body=body,
            method=call.method,
            path=call.path,
            message=self._scrub(message),
            retry_after=parse_retry_after(response.headers.get("retry-after")),
        )

    def parse(self, call: ApiCall, response: httpx.Response, cast_to: type[ResultT]) -> ResultT:
        """A 2xx body validated into `cast_to`, after unwrapping language-keyed maps."""
        context = {"status": response.status_code, "method": call.method, "path": call.path}
        try:
            data: Any = response.json() if response.content.strip() else {}
        except ValueError as exc:
            raise ResponseValidationError(
                "response body is not JSON", body=response.text, **context
            ) from exc
        if call.lang:
            data = unwrap_language(data, call.lang)
        # The cache is keyed by `cast_to`, so the adapter it hands back validates into ResultT.
        adapter: TypeAdapter[ResultT] = _adapter(cast_to)  # type: ignore[arg-type]  # mypy: type[X] isn't Hashable (python/mypy#17730)
        try:
            return adapter.validate_python(data)
        except ValidationError as exc:
            name = getattr(cast_to, "__name__", str(cast_to))
            message = f"response does not fit {name}: {_describe_validation_error(exc)}"
            raise ResponseValidationError(message, body=data, **context) from exc

    def _transport_error(self, call: ApiCall, exc: httpx.TransportError) -> OneEntryError:
        reason = type(exc).__name__
        if call.retry is RetryPolicy.NEVER and not never_sent(exc):
            return OutcomeUnknownError(
                f"no response after the request was sent ({reason}); it may have been processed",
                method=call.method,
                path=call.path,
            )
        if isinstance(exc, httpx.TimeoutException):
            return APITimeoutError(f"timed out ({reason})", method=call.method, path=call.path)
        return APIConnectionError(
            f"connection failed ({reason})", method=call.method, path=call.path
        )

    def _scrub(self, text: str) -> str:
        for secret in [self._app_token, *self._secrets()]:
            if secret:
                text = text.replace(secret, "***")
        return text

    def _observe(self, call: ApiCall, outcome: str, started: float) -> None:
        if self.observer is not None:
            self.observer(call.endpoint, outcome, time.perf_counter() - started)

    @staticmethod
    def _log(call: ApiCall, outcome: str, started: float, attempt: int, level: int) -> None:
        """One line per attempt: no query values, bodies or headers (they may be personal)."""
        elapsed_ms = (time.perf_counter() - started) * 1000
        log.log(
            level,
            "OneEntry %s %s -> %s in %.0f ms (attempt %d)",
            call.method,
            call.path,
            outcome,
            elapsed_ms,
            attempt + 1,
        )
