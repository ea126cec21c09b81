"""The customer's cart: product ids and quantities, and what they cost.

A cart holds no prices: prices come from the catalog when the cart is shown, so a price change
in OneEntry is never hidden by a stale copy. OneEntry computes the final total of the order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

MAX_QUANTITY = 99
MAX_LINES = 30


class CartFull(ValueError):
    """The cart already has `MAX_LINES` different products."""


class Priced(Protocol):
    """What pricing needs to know about a product."""

    @property
    def price(self) -> Decimal | None: ...

    @property
    def currency(self) -> str: ...

    @property
    def orderable(self) -> bool: ...


@dataclass(slots=True)
class Cart:
    """Quantities by product id, in the order the customer added them. Picklable on purpose:
    it lives in the bot's persistence and survives restarts."""

    lines: dict[int, int] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.lines)

    @property
    def item_count(self) -> int:
        return sum(self.lines.values())

    def quantity(self, product_id: int) -> int:
        return self.lines.get(product_id, 0)

    def add(self, product_id: int, quantity: int = 1) -> int:
        """Add to a line (creating it); returns the line's new quantity, capped."""
        if product_id not in self.lines and len(self.lines) >= MAX_LINES:
            raise CartFull(product_id)
        return self.set(product_id, self.quantity(product_id) + quantity)

    def set(self, product_id: int, quantity: int) -> int:
        """Set a line's quantity; zero or less removes the line."""
        if quantity <= 0:
            self.lines.pop(product_id, None)
            return 0
        if product_id not in self.lines and len(self.lines) >= MAX_LINES:
            raise CartFull(product_id)
        self.lines[product_id] = min(quantity, MAX_QUANTITY)
        return self.lines[product_id]

    def remove(self, product_id: int) -> None:
        self.lines.pop(product_id, None)

    def clear(self) -> None:
        self.lines.clear()

    def take(self, ordered: Iterable[tuple[int, int]]) -> None:
        """Remove what an order took (product id, quantity): the cart keeps only what was
        added since, so an order placed while the customer went on shopping takes no more."""
        for product_id, quantity in ordered:
            self.set(product_id, self.quantity(product_id) - quantity)


@dataclass(frozen=True, slots=True)
class PricedLine:
    product_id: int
    quantity: int
    unit_price: Decimal
    total: Decimal


@dataclass(frozen=True, slots=True)
class PricedCart:
    """The cart as the customer sees it: lines that can be ordered, and the ones that cannot."""

    lines: tuple[PricedLine, ...]
    total: Decimal
    currency: str
    unavailable: tuple[int, ...]

    @property
    def is_orderable(self) -> bool:
        return bool(self.lines) and not self.unavailable


def price_cart(cart: Cart, products: Mapping[int, Priced]) -> PricedCart:
    """Price each line from the catalog; products gone, unpriced or out of stock are set aside."""
    lines: list[PricedLine] = []
    unavailable: list[int] = []
    currencies: set[str] = set()
    for product_id, quantity in cart.lines.items():
        product = products.get(product_id)
        if product is None or product.price is None or not product.orderable:
            unavailable.append(product_id)
            continue
        lines.append(PricedLine(product_id, quantity, product.price, product.price * quantity))
        currencies.add(product.currency)
    total = sum((line.total for line in lines), Decimal(0))
    currency = currencies.pop() if len(currencies) == 1 else ""
    return PricedCart(tuple(lines), total, currency, tuple(unavailable))
