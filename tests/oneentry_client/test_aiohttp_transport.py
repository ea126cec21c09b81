"""The client's transport: proxies from the environment, read once per host."""

from __future__ import annotations

import httpx
import pytest

from oneentry_client.aiohttp_transport import AiohttpTransport, EnvironmentProxies

LIMITS = httpx.Limits(max_connections=1)


def test_a_proxy_named_in_the_environment_is_used_except_where_no_proxy_says(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.internal:3128")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    proxies = AiohttpTransport(LIMITS)._proxies
    assert proxies.for_url("https://shop.oneentry.cloud/api/content/x") == (
        "http://proxy.internal:3128"
    )
    assert proxies.for_url("http://127.0.0.1:8000/api") is None
    without_env = AiohttpTransport(LIMITS, trust_env=False)._proxies
    assert without_env.for_url("https://shop.oneentry.cloud/api") is None


def test_the_environment_is_read_once_per_host(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://first.internal:3128")
    proxies = EnvironmentProxies()
    url = "https://shop.oneentry.cloud/api"
    assert proxies.for_url(url) == "http://first.internal:3128"
    monkeypatch.setenv("HTTPS_PROXY", "http://second.internal:3128")
    assert proxies.for_url(url) == "http://first.internal:3128"
