"""The contract test can fail: an error answer or a response outside the SDK's schemas is
reported against the call that got it, and the calls that needed its result are not run.
"""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from sandbox.oneentry import RunningEmulator
from sandbox.serving import serve_in_background
from tests.contract.sdk_runner import emulator_settings, run_sdk_script

pytestmark = [pytest.mark.timeout(240), pytest.mark.usefixtures("sdk_installed")]

SCRIPT_TIMEOUT_S = 45.0


async def test_an_error_answer_fails_that_call_and_skips_its_dependents(
    oneentry_emulator: RunningEmulator,
) -> None:
    oneentry_emulator.state.add_fault("orders.create", status=500, count=1)

    run = await run_sdk_script(emulator_settings(oneentry_emulator), SCRIPT_TIMEOUT_S)

    reports = run.by_name()
    assert run.returncode == 1
    assert not reports["Orders.createOrder"].ok
    assert reports["Orders.createOrder"].error["statusCode"] == 500
    assert reports["Payments.createSession"].error["kind"] == "skipped"
    assert reports["Orders.createOrder[stripe]"].ok, "the fault was for one call only"


async def _token_without_refresh_token(request: Request) -> JSONResponse:
    return JSONResponse({"accessToken": "not-a-real-token"}, status_code=201)


async def test_a_response_outside_the_sdk_schema_is_a_validation_failure() -> None:
    app = Starlette(
        routes=[
            Route(
                "/api/content/users-auth-providers/marker/email/users/auth",
                _token_without_refresh_token,
                methods=["POST"],
            )
        ]
    )
    async with serve_in_background(app) as url:
        settings = {
            "ONEENTRY_PROJECT_URL": url,
            "ONEENTRY_APP_TOKEN": "app-token",
            "ONEENTRY_GUEST_LOGIN": "guest@shop.example",
            "ONEENTRY_GUEST_PASSWORD": "guest-password",
        }
        run = await run_sdk_script(settings, SCRIPT_TIMEOUT_S)

    auth = run.by_name()["AuthProvider.auth"]
    assert not auth.ok
    assert auth.error["statusCode"] == 422
    assert {issue["path"] for issue in auth.error["validationErrors"]} >= {
        "refreshToken",
        "userIdentifier",
    }
    assert run.returncode == 1
