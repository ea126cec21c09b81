"""`create_app(state)`: the emulator as a Starlette app. The route table is at the bottom.

Route names are the endpoint names of `endpoint_names.py`; faults, latency and the request log
use them. Errors raised by endpoints become OneEntry's error body here, in one place.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from sandbox.oneentry import auth, catalog, control, orders, pages, payment_page, payments
from sandbox.oneentry.errors import ProtocolError, error_response
from sandbox.oneentry.gate import EmulatorGate
from sandbox.oneentry.state import EmulatorState

API = "/api/content"
PROVIDERS = f"{API}/users-auth-providers"
STORAGES = f"{API}/orders-storage"
PAYMENTS = f"{API}/payments"
CONTROL = "/__sandbox__"


async def _protocol_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ProtocolError)
    return error_response(exc.status, exc.message, exc.headers)


async def _http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own 404/405 in OneEntry's shape, worded like NestJS ("Cannot GET /x")."""
    assert isinstance(exc, HTTPException)
    message = (
        f"Cannot {request.method} {request.url.path}"
        if exc.status_code in (404, 405)
        else exc.detail
    )
    return error_response(exc.status_code, message, dict(exc.headers or {}))


def create_app(state: EmulatorState) -> Starlette:
    """The emulator app acting on `state`."""
    routes = _routes()
    app = Starlette(
        routes=routes,
        middleware=[Middleware(EmulatorGate, state=state, routes=routes)],
        exception_handlers={ProtocolError: _protocol_error, HTTPException: _http_error},
    )
    app.state.emulator = state
    return app


async def _health(request: Request) -> JSONResponse:
    return JSONResponse({"ok": True})


def _routes() -> list[BaseRoute]:
    return [
        # Auth providers and users
        Route(
            f"{PROVIDERS}/marker/{{marker}}/users/auth",
            auth.login,
            methods=["POST"],
            name="auth.login",
        ),
        Route(
            f"{PROVIDERS}/marker/{{marker}}/users/refresh",
            auth.refresh,
            methods=["POST"],
            name="auth.refresh",
        ),
        Route(
            f"{PROVIDERS}/marker/{{marker}}/users/logout",
            auth.logout,
            methods=["POST"],
            name="auth.logout",
        ),
        Route(PROVIDERS, auth.list_providers, methods=["GET"], name="auth_providers.list"),
        Route(
            f"{PROVIDERS}/marker/{{marker}}",
            auth.provider_by_marker,
            methods=["GET"],
            name="auth_providers.by_marker",
        ),
        Route(f"{API}/users/me", auth.me, methods=["GET"], name="users.me"),
        # Catalogue
        Route(f"{API}/products/all", catalog.list_products, methods=["POST"], name="products.list"),
        Route(
            f"{API}/products/ids", catalog.products_by_ids, methods=["GET"], name="products.by_ids"
        ),
        Route(
            f"{API}/products/page/url/{{url:path}}",
            catalog.products_of_page_url,
            methods=["POST"],
            name="products.by_page_url",
        ),
        Route(
            f"{API}/products/page/{{page_id:int}}",
            catalog.products_of_page_id,
            methods=["POST"],
            name="products.by_page_id",
        ),
        Route(
            f"{API}/products/quick/search",
            catalog.quick_search,
            methods=["GET"],
            name="products.quick_search",
        ),
        Route(
            f"{API}/products/{{product_id:int}}",
            catalog.product_by_id,
            methods=["GET"],
            name="products.by_id",
        ),
        Route(
            f"{API}/attributes-sets/{{marker}}/attributes",
            catalog.set_attributes,
            methods=["GET"],
            name="attribute_sets.attributes",
        ),
        # Pages
        Route(f"{API}/pages", pages.all_pages, methods=["GET"], name="pages.list"),
        Route(f"{API}/pages/root", pages.root_pages, methods=["GET"], name="pages.root"),
        Route(
            f"{API}/pages/url/{{url:path}}", pages.page_by_url, methods=["GET"], name="pages.by_url"
        ),
        Route(
            f"{API}/pages/{{url:path}}/children",
            pages.child_pages,
            methods=["GET"],
            name="pages.children",
        ),
        Route(
            f"{API}/pages/{{page_id:int}}", pages.page_by_id, methods=["GET"], name="pages.by_id"
        ),
        Route(
            f"{API}/product-statuses",
            catalog.product_statuses,
            methods=["GET"],
            name="product_statuses.list",
        ),
        Route(
            f"{API}/locales/active/all",
            catalog.active_locales,
            methods=["GET"],
            name="locales.active",
        ),
        Route(f"{API}/forms", catalog.list_forms, methods=["GET"], name="forms.list"),
        Route(
            f"{API}/forms/marker/{{marker}}",
            catalog.form_by_marker,
            methods=["GET"],
            name="forms.by_marker",
        ),
        # Order storages and orders
        Route(STORAGES, orders.list_storages, methods=["GET"], name="orders.storages"),
        Route(
            f"{STORAGES}/marker/{{marker}}",
            orders.storage_by_marker,
            methods=["GET"],
            name="orders.storage_by_marker",
        ),
        Route(
            f"{STORAGES}/marker/{{marker}}/orders",
            orders.create_order,
            methods=["POST"],
            name="orders.create",
        ),
        Route(
            f"{STORAGES}/marker/{{marker}}/orders",
            orders.list_orders,
            methods=["GET"],
            name="orders.list",
        ),
        Route(
            f"{STORAGES}/marker/{{marker}}/orders/{{order_id:int}}",
            orders.get_order,
            methods=["GET"],
            name="orders.get",
        ),
        Route(
            f"{STORAGES}/marker/{{marker}}/orders/{{order_id:int}}",
            orders.update_order,
            methods=["PUT"],
            name="orders.update",
        ),
        Route(
            f"{STORAGES}/marker/{{marker}}/order-statuses",
            orders.order_statuses,
            methods=["GET"],
            name="orders.statuses",
        ),
        # Payments
        Route(
            f"{PAYMENTS}/sessions",
            payments.create_session,
            methods=["POST"],
            name="payments.create_session",
        ),
        Route(
            f"{PAYMENTS}/sessions",
            payments.list_sessions,
            methods=["GET"],
            name="payments.sessions_list",
        ),
        Route(
            f"{PAYMENTS}/sessions/",
            payments.list_sessions,
            methods=["GET"],
            name="payments.sessions_list",
        ),
        Route(
            f"{PAYMENTS}/sessions/order/{{order_id:int}}",
            payments.sessions_by_order,
            methods=["GET"],
            name="payments.sessions_by_order",
        ),
        Route(
            f"{PAYMENTS}/sessions/{{session_id:int}}",
            payments.session_by_id,
            methods=["GET"],
            name="payments.session_by_id",
        ),
        Route(
            f"{PAYMENTS}/accounts",
            payments.list_accounts,
            methods=["GET"],
            name="payments.accounts",
        ),
        Route(
            f"{PAYMENTS}/accounts/{{account_id:int}}",
            payments.account_by_id,
            methods=["GET"],
            name="payments.account_by_id",
        ),
        # Files, the payment page, control
        Route(
            "/cloud-static/files/project/product/{product_id:int}/image/{filename}",
            catalog.product_image,
            methods=["GET"],
        ),
        Route("/pay/{session_id:int}", payment_page.show, methods=["GET"]),
        Route("/pay/{session_id:int}", payment_page.pay, methods=["POST"]),
        Route("/pay/{session_id:int}/cancel", payment_page.cancel, methods=["GET", "POST"]),
        Route(f"{CONTROL}/health", _health, methods=["GET"]),
        Route(f"{CONTROL}/faults", control.add_fault, methods=["POST"]),
        Route(f"{CONTROL}/faults", control.list_faults, methods=["GET"]),
        Route(f"{CONTROL}/faults", control.clear_faults, methods=["DELETE"]),
        Route(f"{CONTROL}/latency", control.set_latency, methods=["POST"]),
        Route(
            f"{CONTROL}/orders/{{order_id:int}}/status", control.set_order_status, methods=["POST"]
        ),
        Route(
            f"{CONTROL}/orders/{{order_id:int}}/payment-status",
            control.set_order_payment_status,
            methods=["POST"],
        ),
        Route(
            f"{CONTROL}/sessions/{{session_id:int}}/status",
            control.set_session_status,
            methods=["POST"],
        ),
        Route(
            f"{CONTROL}/sessions/{{session_id:int}}/publish-link",
            control.publish_link,
            methods=["POST"],
        ),
        Route(
            f"{CONTROL}/sessions/{{session_id:int}}/expire",
            control.expire_session,
            methods=["POST"],
        ),
        Route(f"{CONTROL}/behaviours", control.get_behaviours, methods=["GET"]),
        Route(f"{CONTROL}/behaviours", control.set_behaviours, methods=["POST"]),
        Route(f"{CONTROL}/tokens/expire", control.expire_tokens, methods=["POST"]),
        Route(f"{CONTROL}/requests", control.list_requests, methods=["GET"]),
        Route(f"{CONTROL}/requests", control.clear_requests, methods=["DELETE"]),
        Route(f"{CONTROL}/reset", control.reset, methods=["POST"]),
    ]
