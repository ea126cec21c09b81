"""Validation of create/update order bodies against the storage, its form and the catalogue.

Mirrors what the real API refuses, with its wording where it is known: the storage's
`formIdentifier`, `formData` (wrapped `{"<lang>": [...]}` or flat) checked field by field in the
form's order (only the first failing field is reported) by its type's value shape and every
validator the field has (required, string lengths, email, regular expression, mask, trim),
known visible products with positive integer quantities, and a payment account linked to the
storage. Prices and the total come from the server's catalogue, never from the request: a
product's `price`, or when that is null (the search index not recalculated yet) the value of
the shop's price attribute (the one flagged `isPrice`), or 0 for a product priced nowhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sandbox.oneentry.errors import bad_request
from sandbox.oneentry.records import OrderLine

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_LIST_TYPES = ("text", "list", "radioButton", "entity", "timeInterval", "groupOfImages")


@dataclass(frozen=True)
class ValidOrder:
    """A create/update body that passed every check, with server-side prices."""

    form_identifier: str
    payment_account_identifier: str
    form_data: list[dict[str, Any]]
    form_lang: str
    lines: list[OrderLine]
    requested_products: list[dict[str, Any]]
    currency: str
    total_sum: Decimal


def _field_error(marker: str) -> Exception:
    return bad_request(f"formData's marker '{marker}' value is missing or incorrect")


def unit_price(product: dict[str, Any], price_attribute: str) -> Decimal:
    """What one unit of `product` costs in an order (see the module docstring)."""
    price = product.get("price")
    if price is None:
        attribute = product.get("attributes", {}).get(price_attribute, {})
        price = attribute.get("value") if isinstance(attribute, dict) else None
    if not isinstance(price, int | float) or isinstance(price, bool):
        return Decimal("0")
    return Decimal(str(price))


def unwrap_form_data(form_data: object, default_lang: str) -> tuple[str, list[Any]]:
    """The language and the list of `{"<langCode>": [...]}`, or `default_lang` and a flat list."""
    lang = default_lang
    if isinstance(form_data, dict):
        sections = [(key, value) for key, value in form_data.items() if isinstance(value, list)]
        if len(sections) != 1 or len(form_data) != 1:
            raise bad_request("formData must hold one language section")
        lang, form_data = sections[0]
    if not isinstance(form_data, list) or not form_data:
        raise bad_request("empty form data section")
    return lang, form_data


def _is_empty(value: object) -> bool:
    return value is None or value == "" or value == [] or value == {}


_MOMENT_TYPES = ("date", "dateTime", "time")
_FORMAT_TOKENS = {"YYYY": r"\d{4}", "DD": r"\d{2}", "MM": r"\d{2}", "HH": r"\d{2}", "mm": r"\d{2}"}
_MASK_DIGITS = "9#_"


def _fits_type(attribute: dict[str, Any], value: object) -> bool:
    """Whether `value` has the shape createOrder takes for the attribute's type (reference
    §5, "Form field value shapes")."""
    kind = attribute["type"]
    if kind in ("string", "textWithHeader"):
        return isinstance(value, str)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind in ("float", "real"):
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "text":
        return (
            isinstance(value, list)
            and len(value) == 1
            and isinstance(value[0], dict)
            and isinstance(value[0].get("plainValue"), str)
        )
    if kind in _MOMENT_TYPES:
        return _is_moment(value)
    if kind in ("list", "radioButton"):
        return _is_choice(attribute, value)
    if kind in _LIST_TYPES:
        return isinstance(value, list)
    return True


def _is_moment(value: object) -> bool:
    """`{fullDate, formattedValue, formatString}`, the formatted value written in its format."""
    if not isinstance(value, dict):
        return False
    full, shown, shape = (
        value.get("fullDate"),
        value.get("formattedValue"),
        value.get("formatString"),
    )
    if not all(isinstance(part, str) and part for part in (full, shown, shape)):
        return False
    try:
        datetime.fromisoformat(str(full).replace("Z", "+00:00"))
    except ValueError:
        return False
    pattern = re.escape(str(shape))
    for token, digits in _FORMAT_TOKENS.items():
        pattern = pattern.replace(token, digits)
    return re.fullmatch(pattern, str(shown)) is not None


def _is_choice(attribute: dict[str, Any], value: object) -> bool:
    """A list of the field's options, each by its value or as `{title, value, extended}` (the
    SDK's shape); a radio button takes exactly one."""
    if not isinstance(value, list) or not value:
        return False
    if attribute["type"] == "radioButton" and len(value) != 1:
        return False
    known = {str(option.get("value")) for option in attribute.get("listTitles", [])}
    for item in value:
        chosen = item.get("value") if isinstance(item, dict) else item
        if (
            isinstance(chosen, bool)
            or not isinstance(chosen, str | int)
            or str(chosen) not in known
        ):
            return False
    return True


def _text_of(value: object) -> str | None:
    """The text the string validators look at: a string, or a text field's plain value."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], dict):
        plain = value[0].get("plainValue")
        return plain if isinstance(plain, str) else None
    return None


def _passes_validators(validators: dict[str, Any], value: object) -> bool:
    text = _text_of(value)
    if validators.get("emailInspectionValidator") and not (
        isinstance(text, str) and _EMAIL.match(text.strip())
    ):
        return False
    if text is None:
        return True
    strings = validators.get("stringInspectionValidator") or {}
    if isinstance(strings, dict):
        low = int(strings.get("stringMin") or 0)
        high = int(strings.get("stringMax") or 0)
        exact = int(strings.get("stringLength") or 0)
        if len(text) < low or (high and len(text) > high) or (exact and len(text) != exact):
            return False
    if validators.get("trimValidator") and text != text.strip():
        return False
    pattern = (validators.get("regExpValidator") or {}).get("patternValue")
    if isinstance(pattern, str) and pattern and not _js_test(pattern, text):
        return False
    mask = (validators.get("fieldMaskValidator") or {}).get("maskValue")
    if isinstance(mask, str) and mask:
        shape = "".join(r"\d" if char in _MASK_DIGITS else re.escape(char) for char in mask)
        if re.fullmatch(shape, text) is None:
            return False
    return True


def _js_test(pattern: str, text: str) -> bool:
    """`new RegExp(pattern).test(text)`: a search; a `/…/flags` literal is taken apart."""
    flags = 0
    literal = re.fullmatch(r"/(.*)/([a-z]*)", pattern, re.DOTALL)
    if literal:
        pattern, flags = literal.group(1), re.IGNORECASE if "i" in literal.group(2) else 0
    return re.search(pattern, text, flags) is not None


def _value_fits(attribute: dict[str, Any], value: object) -> bool:
    """Whether `value` has the shape the attribute type takes, and passes its validators."""
    return _fits_type(attribute, value) and _passes_validators(
        attribute.get("validators", {}), value
    )


def check_form_data(
    form: dict[str, Any], raw: object, default_lang: str
) -> tuple[str, list[dict[str, Any]]]:
    """The language and the submitted fields, flat and typed by the form; 400 on the first
    field that fails."""
    lang, entries = unwrap_form_data(raw, default_lang)
    by_marker: dict[str, Any] = {}
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("marker"), str):
            raise bad_request("formData items must be objects with a marker")
        by_marker[entry["marker"]] = entry.get("value")
    attributes = sorted(form.get("attributes", []), key=lambda a: a.get("position", 0))
    known = {a["marker"] for a in attributes}
    for marker in by_marker:
        if marker not in known:
            raise bad_request(
                f"formData's marker '{marker}' is not a field of form '{form['identifier']}'"
            )
    accepted: list[dict[str, Any]] = []
    for attribute in attributes:
        marker = attribute["marker"]
        value = by_marker.get(marker)
        if _is_empty(value):
            if "requiredValidator" in attribute.get("validators", {}):
                raise _field_error(marker)
            continue
        if not _value_fits(attribute, value):
            raise _field_error(marker)
        accepted.append({"marker": marker, "type": attribute["type"], "value": value})
    return lang, accepted


def check_products(
    raw: object, catalogue: dict[int, dict[str, Any]], price_attribute: str
) -> list[OrderLine]:
    """Priced lines for the requested products; 400 on unknown products or bad quantities."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise bad_request("products must be a list of {productId, quantity}")
    lines: list[OrderLine] = []
    for item in raw:
        if not isinstance(item, dict):
            raise bad_request("products must be a list of {productId, quantity}")
        product_id = item.get("productId")
        if not isinstance(product_id, int) or isinstance(product_id, bool):
            raise bad_request("productId must be an integer")
        product = catalogue.get(product_id)
        if product is None:
            raise bad_request(f"Product {product_id} not found or not available")
        quantity = item.get("quantity")
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
            raise bad_request(f"Quantity of product {product_id} must be a positive integer")
        lines.append(
            OrderLine(
                product_id=product_id,
                quantity=quantity,
                price=unit_price(product, price_attribute),
                titles=product["localizeInfos"],
                sku=product.get("sku"),
            )
        )
    return lines


def check_order_body(
    body: object,
    storage: dict[str, Any],
    form: dict[str, Any],
    catalogue: dict[int, dict[str, Any]],
    currency: str,
    price_attribute: str = "price",
    default_lang: str = "en_US",
) -> ValidOrder:
    """Every check of a create/update body, in the order the real API appears to apply them."""
    if not isinstance(body, dict):
        raise bad_request("Request body must be a JSON object")
    if body.get("formIdentifier") != storage.get("formIdentifier"):
        raise bad_request("Incorrect formIdentifier")
    form_lang, form_data = check_form_data(form, body.get("formData"), default_lang)
    lines = check_products(body.get("products"), catalogue, price_attribute)
    account = body.get("paymentAccountIdentifier")
    if not isinstance(account, str) or not account:
        raise bad_request("paymentAccountIdentifier is required")
    if account not in storage.get("paymentAccountIdentifiers", []):
        raise bad_request(
            f"Payment account '{account}' is not linked to order storage '{storage['identifier']}'"
        )
    total = sum((line.price * line.quantity for line in lines), Decimal("0"))
    requested = [{"productId": line.product_id, "quantity": line.quantity} for line in lines]
    return ValidOrder(
        form_identifier=form["identifier"],
        payment_account_identifier=account,
        form_data=form_data,
        form_lang=form_lang,
        lines=lines,
        requested_products=requested,
        currency=currency if lines else "",
        total_sum=total,
    )
