"""The stable names of the emulated endpoints, one per route.

Faults, latency and the request log refer to endpoints by these names, so tests, the demo and
the benchmark can aim at one call without spelling out paths.
"""

from __future__ import annotations

ENDPOINT_NAMES: tuple[str, ...] = (
    "auth.login",
    "auth.refresh",
    "auth.logout",
    "auth_providers.list",
    "auth_providers.by_marker",
    "users.me",
    "products.list",
    "products.by_id",
    "products.by_ids",
    "products.quick_search",
    "products.by_page_url",
    "products.by_page_id",
    "attribute_sets.attributes",
    "pages.list",
    "pages.root",
    "pages.by_url",
    "pages.children",
    "pages.by_id",
    "product_statuses.list",
    "locales.active",
    "forms.list",
    "forms.by_marker",
    "orders.storages",
    "orders.storage_by_marker",
    "orders.create",
    "orders.list",
    "orders.get",
    "orders.update",
    "orders.statuses",
    "payments.create_session",
    "payments.session_by_id",
    "payments.sessions_by_order",
    "payments.sessions_list",
    "payments.accounts",
    "payments.account_by_id",
)
