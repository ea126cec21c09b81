"""The cart: quantities the customer chose, priced from the catalog."""

import pickle
from dataclasses import dataclass
from decimal import Decimal

import pytest

from shop.cart import MAX_LINES, MAX_QUANTITY, Cart, CartFull, price_cart


@dataclass(frozen=True)
class Item:
    price: Decimal | None
    currency: str = "USD"
    orderable: bool = True


def test_add_increment_decrement_remove() -> None:
    cart = Cart()
    assert not cart
    assert cart.add(7) == 1
    assert cart.add(7, 2) == 3
    assert cart.add(9) == 1
    assert cart.set(7, 2) == 2
    assert cart.item_count == 3
    assert cart.set(9, 0) == 0
    assert list(cart.lines) == [7]
    cart.remove(7)
    assert not cart


def test_quantity_is_capped() -> None:
    cart = Cart()
    cart.add(1, MAX_QUANTITY)
    assert cart.add(1) == MAX_QUANTITY


def test_lines_are_limited_but_existing_lines_still_change() -> None:
    cart = Cart()
    for product_id in range(MAX_LINES):
        cart.add(product_id)
    with pytest.raises(CartFull):
        cart.add(1000)
    assert cart.add(0) == 2


def test_cart_survives_pickling() -> None:
    cart = Cart()
    cart.add(3, 2)
    assert pickle.loads(pickle.dumps(cart)) == cart


def test_priced_lines_and_total() -> None:
    cart = Cart()
    cart.add(1, 2)
    cart.add(2, 1)
    priced = price_cart(cart, {1: Item(Decimal("10.50")), 2: Item(Decimal("3"))})
    assert [(line.product_id, line.total) for line in priced.lines] == [
        (1, Decimal("21.00")),
        (2, Decimal("3")),
    ]
    assert priced.total == Decimal("24.00")
    assert priced.currency == "USD"
    assert priced.is_orderable


def test_gone_unpriced_and_out_of_stock_products_are_set_aside() -> None:
    cart = Cart()
    for product_id in (1, 2, 3, 4):
        cart.add(product_id)
    products = {
        1: Item(Decimal(5)),
        2: Item(None),
        3: Item(Decimal(5), orderable=False),
    }
    priced = price_cart(cart, products)
    assert [line.product_id for line in priced.lines] == [1]
    assert priced.unavailable == (2, 3, 4)
    assert not priced.is_orderable
