"""The official OneEntry JS SDK (oneentry 1.0.149), with its strict response validation on,
runs every call the bot uses against the emulator over real HTTP, and reports no error: once
for each bundled shop, since shops differ in accounts, languages, status names and shapes.

The run happens once per shop; each call then gets its own test, so a failure names the shop,
the call, what the SDK reported, and the requests it sent. The run includes the SDK's own
recovery of an expired access token (401 -> refresh -> retry), which works only because the
emulator does not bind refresh tokens to a device: the SDK refreshes from another module, with
another random device id, than the one that logged in.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import NamedTuple

import pytest
import pytest_asyncio

from sandbox.oneentry import EmulatorState, serve_emulator
from tests.contract.sdk_runner import (
    SdkRun,
    emulator_settings,
    expected_calls,
    run_sdk_script,
    shop_settings,
)

# The first run may install the SDK from the registry; after that a run takes a few seconds.
pytestmark = pytest.mark.timeout(240)

SCRIPT_TIMEOUT_S = 45.0
SHOPS = ("tea", "market")
# Long enough that a delayed payment link (PayPal) appears only when the script publishes it.
LINK_DELAY_S = 3600.0

# The emulator endpoint (sandbox/oneentry/endpoint_names.py) each call's request must reach.
CALL_ENDPOINTS = {
    "AuthProvider.auth": "auth.login",
    "AuthProvider.refresh": "auth.refresh",
    "Locales.getLocales": "locales.active",
    "Products.getProducts": "products.list",
    "Products.getProductById": "products.by_id",
    "Products.getProductsByIds": "products.by_ids",
    "Products.searchProduct": "products.quick_search",
    "ProductStatuses.getProductStatuses": "product_statuses.list",
    "Forms.getFormByMarker": "forms.by_marker",
    "Orders.getOrdersStorageByMarker": "orders.storage_by_marker",
    "Orders.createOrder": "orders.create",
    "Orders.getAllOrdersByMarker": "orders.list",
    "Orders.getOrderByMarkerAndId": "orders.get",
    "Orders.getAllStatusesByStorageMarker": "orders.statuses",
    "Orders.updateOrderByMarkerAndId": "orders.update",
    "Payments.getAccounts": "payments.accounts",
    "Payments.createSession": "payments.create_session",
    "Payments.getSessionById": "payments.session_by_id",
    "Payments.getSessionByOrderId": "payments.sessions_by_order",
    "Payments.getSessions": "payments.sessions_list",
    "AuthProvider.logout": "auth.logout",
}


class SeenRequest(NamedTuple):
    """One request as the emulator logged it."""

    endpoint: str | None
    method: str
    path: str
    status: int | None


@dataclass(frozen=True)
class ContractRun:
    """What the SDK reported, and what the emulator saw of it."""

    shop: str
    expected: list[str]
    sdk: SdkRun
    endpoints: list[SeenRequest]


def _calls_of(shop: str) -> list[str]:
    """The calls the script reports for `shop` (the URL does not change the list)."""
    return expected_calls(shop_settings(EmulatorState.from_shop(shop), "http://127.0.0.1:1"))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """`contract_run` once per shop; `call` with each call that shop's run reports."""
    if "call" in metafunc.fixturenames:
        pairs = [(shop, call) for shop in SHOPS for call in _calls_of(shop)]
        metafunc.parametrize(
            ("contract_run", "call"),
            pairs,
            indirect=["contract_run"],
            ids=[f"{shop}-{call}" for shop, call in pairs],
            scope="module",
        )
    elif "contract_run" in metafunc.fixturenames:
        metafunc.parametrize("contract_run", SHOPS, indirect=True, scope="module")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def contract_run(
    request: pytest.FixtureRequest, sdk_installed: None
) -> AsyncIterator[ContractRun]:
    """Run the SDK script once against a fresh emulator playing the shop `request.param`."""
    shop: str = request.param
    state = EmulatorState.from_shop(shop)
    state.set_payment_link_delay(LINK_DELAY_S)
    async with serve_emulator(state) as emulator:
        settings = emulator_settings(emulator)
        sdk = await run_sdk_script(settings, SCRIPT_TIMEOUT_S)
        seen = [
            SeenRequest(r.endpoint, r.method, r.path, r.status) for r in emulator.state.requests
        ]
    yield ContractRun(shop=shop, expected=expected_calls(settings), sdk=sdk, endpoints=seen)


def test_script_reports_every_call_in_order(contract_run: ContractRun) -> None:
    run = contract_run.sdk
    assert [report.call for report in run.calls] == contract_run.expected, run.stderr
    assert not run.unparsed, f"unexpected output: {run.unparsed}"
    all_ok = all(report.ok for report in run.calls)
    assert run.returncode == (0 if all_ok else 1), run.stderr


def test_sdk_call_succeeds(contract_run: ContractRun, call: str) -> None:
    report = contract_run.sdk.by_name().get(call)
    assert report is not None, f"{call} was not reported; stderr:\n{contract_run.sdk.stderr}"
    assert report.ok, report.describe()


def test_sdk_requests_reach_the_emulators_routes(contract_run: ContractRun) -> None:
    """Every SDK request is routed and answered 2xx, but for the one 401 the script provokes by
    expiring the tokens, which the SDK answers with a refresh and a retry that succeed."""
    seen = contract_run.endpoints
    unrouted = [request for request in seen if request.endpoint is None]
    assert not unrouted, f"SDK paths the emulator has no route for: {unrouted}"
    refused = [
        (index, request)
        for index, request in enumerate(seen)
        if request.status is None or request.status >= 400
    ]
    assert len(refused) == 1, f"SDK requests the emulator refused: {refused}"
    [(index, expired)] = refused
    assert (expired.endpoint, expired.status) == ("orders.storage_by_marker", 401)
    refresh, retry = seen[index + 1], seen[index + 2]
    assert (refresh.endpoint, refresh.status) == ("auth.refresh", 201)
    assert (retry.endpoint, retry.status) == ("orders.storage_by_marker", 200)
    reached = {request.endpoint for request in seen}
    missed = {call: name for call, name in CALL_ENDPOINTS.items() if name not in reached}
    assert not missed, f"calls whose endpoint the emulator never saw: {missed}"
