"""The official OneEntry JS SDK (oneentry 1.0.149), with its strict response validation on,
runs every call the bot uses against the emulator over real HTTP, and reports no error.

The run happens once per module; each call then gets its own test, so a failure names the
call, what the SDK reported, and the requests it sent.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import NamedTuple

import pytest
import pytest_asyncio

from sandbox.oneentry import serve_emulator
from tests.contract.sdk_runner import SdkRun, emulator_settings, run_sdk_script

# The first run may install the SDK from the registry; after that a run takes a few seconds.
pytestmark = pytest.mark.timeout(240)

SCRIPT_TIMEOUT_S = 45.0

# Every SDK call the bot makes, in the order the script makes them.
EXPECTED_CALLS = (
    "AuthProvider.auth",
    "AuthProvider.refresh",
    "Products.getProducts",
    "Products.getProductById",
    "Products.getProductsByIds",
    "Products.searchProduct",
    "ProductStatuses.getProductStatuses",
    "Forms.getFormByMarker",
    "Orders.getOrdersStorageByMarker",
    "Orders.createOrder",
    "Orders.getAllOrdersByMarker",
    "Orders.getOrderByMarkerAndId",
    "Orders.getAllStatusesByStorageMarker",
    "Orders.updateOrderByMarkerAndId",
    "Payments.getAccounts",
    "Payments.createSession",
    "Payments.getSessionById",
    "Payments.getSessionByOrderId",
    "Payments.getSessions",
    "Orders.createOrder[stripe]",
    "Payments.createSession[stripe]",
    "Payments.getSessionByOrderId[stripe]",
    "AuthProvider.logout",
)

# The emulator endpoint (sandbox/oneentry/endpoint_names.py) each call's request must reach.
CALL_ENDPOINTS = {
    "AuthProvider.auth": "auth.login",
    "AuthProvider.refresh": "auth.refresh",
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

    sdk: SdkRun
    endpoints: list[SeenRequest]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def contract_run(sdk_installed: None) -> AsyncIterator[ContractRun]:
    """Run the SDK script once against a fresh emulator."""
    async with serve_emulator() as emulator:
        sdk = await run_sdk_script(emulator_settings(emulator), SCRIPT_TIMEOUT_S)
        seen = [
            SeenRequest(r.endpoint, r.method, r.path, r.status) for r in emulator.state.requests
        ]
    yield ContractRun(sdk=sdk, endpoints=seen)


def test_script_reports_every_call_in_order(contract_run: ContractRun) -> None:
    run = contract_run.sdk
    assert [report.call for report in run.calls] == list(EXPECTED_CALLS), run.stderr
    assert not run.unparsed, f"unexpected output: {run.unparsed}"
    all_ok = all(report.ok for report in run.calls)
    assert run.returncode == (0 if all_ok else 1), run.stderr


@pytest.mark.parametrize("call", EXPECTED_CALLS)
def test_sdk_call_succeeds(contract_run: ContractRun, call: str) -> None:
    report = contract_run.sdk.by_name().get(call)
    assert report is not None, f"{call} was not reported; stderr:\n{contract_run.sdk.stderr}"
    assert report.ok, report.describe()


def test_sdk_requests_reach_the_emulators_routes(contract_run: ContractRun) -> None:
    unrouted = [seen for seen in contract_run.endpoints if seen.endpoint is None]
    assert not unrouted, f"SDK paths the emulator has no route for: {unrouted}"
    refused = [seen for seen in contract_run.endpoints if seen.status is None or seen.status >= 400]
    assert not refused, f"SDK requests the emulator refused: {refused}"
    reached = {seen.endpoint for seen in contract_run.endpoints}
    missed = {call: name for call, name in CALL_ENDPOINTS.items() if name not in reached}
    assert not missed, f"calls whose endpoint the emulator never saw: {missed}"
