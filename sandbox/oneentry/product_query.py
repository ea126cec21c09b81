"""Filtering, sorting and paging of the product list, as `POST /products/all` does it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sandbox.oneentry.catalog_views import product_title
from sandbox.oneentry.errors import bad_request

SORT_KEYS = ("id", "position", "title", "date", "price", "status")
SORT_ORDERS = ("ASC", "DESC")
CONDITIONS = ("in", "nin", "eq", "neq", "mth", "lth", "exs", "nexs")


def filters_of(body: object) -> list[dict[str, Any]]:
    """The filter list of `{"filter": [...]}` (SDK 1.0.149) or of a bare list (older SDKs)."""
    if body is None:
        return []
    if isinstance(body, dict):
        body = body.get("filter", [])
    if not isinstance(body, list) or not all(isinstance(f, dict) for f in body):
        raise bad_request('Body must be {"filter": [...]} or a list of filter objects')
    return body


def _attribute_value(product: dict[str, Any], marker: str) -> Any:
    """The value filters see: the product's own attribute of that marker, else its `price` or
    `sku` field for those markers, else None (absent)."""
    attribute = product.get("attributes", {}).get(marker)
    if isinstance(attribute, dict):
        return attribute.get("value")
    if marker == "price":
        return product["price"]
    if marker == "sku":
        return product.get("sku")
    return None


def _condition_holds(value: Any, condition: str, expected: Any) -> bool:
    options = expected if isinstance(expected, list) else [expected]
    try:
        match condition:
            case "exs":
                return value is not None
            case "nexs":
                return value is None
            case "eq":
                return value == expected or str(value) == str(expected)
            case "neq":
                return not (value == expected or str(value) == str(expected))
            case "in":
                return value in options or str(value) in map(str, options)
            case "nin":
                return not (value in options or str(value) in map(str, options))
            case "mth":
                return value is not None and float(value) > float(expected)
            case "lth":
                return value is not None and float(value) < float(expected)
    except (TypeError, ValueError):
        return False
    return False


def _matches(product: dict[str, Any], rule: dict[str, Any], lang: str) -> bool:
    status = rule.get("statusMarker")
    if status and product.get("statusIdentifier") != status:
        return False
    pages = rule.get("pageUrls")
    if pages and not set(pages) & set(product.get("categories", [])):
        return False
    title = rule.get("title")
    if title and title.lower() not in product_title(product, lang).lower():
        return False
    marker, condition = rule.get("attributeMarker"), rule.get("conditionMarker")
    if marker and condition:
        if condition not in CONDITIONS:
            raise bad_request(f"conditionMarker must be one of {', '.join(CONDITIONS)}")
        return _condition_holds(
            _attribute_value(product, marker), condition, rule.get("conditionValue")
        )
    return True


def _sort_key(key: str, lang: str) -> Callable[[dict[str, Any]], Any]:
    match key:
        case "position":
            return lambda p: (p.get("position", p["id"]), p["id"])
        case "title":
            return lambda p: (product_title(p, lang).lower(), p["id"])
        case "price":
            # A null price (not indexed yet) sorts after every price in ASC, first in DESC.
            return lambda p: (p["price"] is None, p["price"] or 0, p["id"])
        case "status":
            return lambda p: (p.get("statusIdentifier") or "", p["id"])
        case _:  # "id" and "date": seeded products were created in id order
            return lambda p: p["id"]


def select_products(
    products: list[dict[str, Any]],
    filters: list[dict[str, Any]],
    query: Any,
    lang: str,
) -> list[dict[str, Any]]:
    """The products matching the body filters and the query's statusMarker/attribute condition,
    sorted by `sortKey`/`sortOrder` (default id, DESC)."""
    sort_key = query.get("sortKey") or "id"
    sort_order = (query.get("sortOrder") or "DESC").upper()
    if sort_key not in SORT_KEYS:
        raise bad_request(f"sortKey must be one of {', '.join(SORT_KEYS)}")
    if sort_order not in SORT_ORDERS:
        raise bad_request("sortOrder must be ASC or DESC")
    rules = list(filters)
    query_rule = {
        "statusMarker": query.get("statusMarker"),
        "attributeMarker": query.get("attributeMarker"),
        "conditionMarker": query.get("conditionMarker"),
        "conditionValue": query.get("conditionValue"),
    }
    rules.append(query_rule)
    selected = [p for p in products if all(_matches(p, rule, lang) for rule in rules)]
    return sorted(selected, key=_sort_key(sort_key, lang), reverse=sort_order == "DESC")
