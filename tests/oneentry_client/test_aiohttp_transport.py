"""The client's transport: proxies from the environment, read once per host."""

from __future__ import annotations

import httpx
import pytest

from oneentry_client.aiohttp_transport import AiohttpTransport

LIMITS = httpx.Limits(max_connections=1)


def test_a_proxy_named_in_the_environment_is_used_except_where_no_proxy_says(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.internal:3128")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    transport = AiohttpTransport(LIMITS)
    assert transport._proxy_for(httpx.URL("https://shop.oneentry.cloud/api/content/x")) == (
        "http://proxy.internal:3128"
    )
    assert transport._proxy_for(httpx.URL("http://127.0.0.1:8000/api")) is None
    assert (
        AiohttpTransport(LIMITS, trust_env=False)._proxy_for(
            httpx.URL("https://shop.oneentry.cloud/api")
        )
        is None
    )


def test_the_environment_is_read_once_per_host(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://first.internal:3128")
    transport = AiohttpTransport(LIMITS)
    url = httpx.URL("https://shop.oneentry.cloud/api")
    assert transport._proxy_for(url) == "http://first.internal:3128"
    monkeypatch.setenv("HTTPS_PROXY", "http://second.internal:3128")
    assert transport._proxy_for(url) == "http://first.internal:3128"
