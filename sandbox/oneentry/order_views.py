"""JSON shapes of order storages, orders, order statuses, payment sessions and accounts.

Orders come in two shapes: the create/update answer (`totalSum` a number, `products` echoing
the request) and the read shape of get/list (`totalSum` a "%.2f" string, priced product lines,
status and payment-account titles). With `behaviours.formDataAsLanguageMap`, a read in another
language than the one the `formData` was written in returns it as `{"<written lang>": [...]}`.
Payment URLs stored as a path (sessions of past orders) are resolved against the base URL.
"""

from __future__ import annotations

from typing import Any

from sandbox.oneentry.localize import pick
from sandbox.oneentry.records import StoredOrder, StoredSession

# When seeded entities were last "edited in the admin panel": a fixed, plausible date.
SEEDED_AT = "2025-02-25T08:55:43.957Z"


def render_storage(storage: dict[str, Any], lang: str) -> dict[str, Any]:
    return {
        "id": storage["id"],
        "identifier": storage["identifier"],
        "formIdentifier": storage.get("formIdentifier"),
        "generalTypeId": storage.get("generalTypeId"),
        "position": storage.get("position"),
        "localizeInfos": pick(storage.get("localizeInfos", {}), lang),
        "paymentAccountIdentifiers": [
            {"identifier": identifier}
            for identifier in storage.get("paymentAccountIdentifiers", [])
        ],
    }


def render_order_status(
    status: dict[str, Any], lang: str, position: int, used: bool
) -> dict[str, Any]:
    return {
        "id": status["id"],
        "identifier": status["identifier"],
        "localizeInfos": pick(status["localizeInfos"], lang),
        "isDefault": status.get("isDefault", False),
        "position": position,
        "isUsed": used,
    }


def _status_title(statuses: list[dict[str, Any]], identifier: str | None, lang: str) -> Any:
    status = next((s for s in statuses if s["identifier"] == identifier), None)
    return pick(status["localizeInfos"], lang) if status else None


def resolve_url(url: str | None, base_url: str) -> str | None:
    """An absolute URL as stored, or a stored path (`/pay/5001`) on `base_url`."""
    if url is not None and url.startswith("/"):
        return base_url + url
    return url


def render_order_created(order: StoredOrder) -> dict[str, Any]:
    """The answer to create and update: `totalSum` is a number here."""
    return {
        "id": order.id,
        "formIdentifier": order.form_identifier,
        "paymentAccountIdentifier": order.payment_account_identifier,
        "formData": order.form_data,
        "products": order.requested_products,
        "currency": order.currency,
        "totalSum": float(order.total_sum),
        "createdDate": order.created_date,
        "statusIdentifier": order.status_identifier,
    }


def render_order(
    order: StoredOrder,
    storage: dict[str, Any],
    account: dict[str, Any],
    lang: str,
    base_url: str,
    form_data_as_language_map: bool = False,
) -> dict[str, Any]:
    """The read shape of an order (get one, list) in language `lang`."""
    form_data: Any = order.form_data
    if form_data_as_language_map and lang != order.form_lang:
        form_data = {order.form_lang: order.form_data}
    return {
        "id": order.id,
        "storageId": order.storage_id,
        "createdDate": order.created_date,
        "statusIdentifier": order.status_identifier,
        "statusLocalizeInfos": _status_title(
            storage["orderStatuses"], order.status_identifier, lang
        )
        or {},
        "fulfillmentStatusIdentifier": None,
        "fulfillmentStatusLocalizeInfos": None,
        "paymentStatusIdentifier": order.payment_status_identifier,
        "paymentStatusLocalizeInfos": _status_title(
            storage["paymentStatuses"], order.payment_status_identifier, lang
        ),
        "formIdentifier": order.form_identifier,
        "attributeSetIdentifier": "order_form",
        "formData": form_data,
        "totalSum": f"{order.total_sum:.2f}",
        "currency": order.currency,
        "paymentAccountIdentifier": order.payment_account_identifier,
        "paymentAccountLocalizeInfos": pick(account.get("localizeInfos", {}), lang),
        "products": [
            {
                "id": line.product_id,
                "title": pick(line.titles, lang).get("title", ""),
                "sku": line.sku,
                "previewImage": None,
                "price": float(line.price),
                "quantity": line.quantity,
                "isGift": False,
            }
            for line in order.lines
        ],
        "paymentUrl": resolve_url(order.payment_url, base_url),
        "isCompleted": order.is_completed,
    }


def render_session(session: StoredSession, base_url: str) -> dict[str, Any]:
    """A payment session (`ISessionEntity`); `paymentUrl` null while its link is delayed."""
    body: dict[str, Any] = {
        "id": session.id,
        "createdDate": session.created_date,
        "updatedDate": session.updated_date,
        "type": session.type,
        "status": session.status,
        "paymentAccountId": session.payment_account_id,
        "orderId": session.order_id,
        "paymentUrl": resolve_url(session.payment_url, base_url),
        "amount": session.amount,
    }
    if session.client_secret is not None:
        body["clientSecret"] = session.client_secret
    return body


def render_account(account: dict[str, Any], lang: str) -> dict[str, Any]:
    """A payment account; test-mode settings as the admin panel leaves them."""
    test_settings: dict[str, Any] = {"status": "connected"}
    if account.get("type") == "stripe":
        test_settings.update({"sessionTimeout": 30, "useWebHookValidation": False})
    return {
        "id": account["id"],
        "identifier": account["identifier"],
        "type": account.get("type", "custom"),
        "isVisible": True,
        "isUsed": True,
        "testMode": True,
        "localizeInfos": pick(account.get("localizeInfos", {}), lang),
        "settings": {"status": "connected"},
        "testSettings": test_settings,
        "updatedDate": account.get("updatedDate", SEEDED_AT),
    }
