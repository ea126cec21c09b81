"""Callback data stays within Telegram's 64 bytes and matches its own handler patterns."""

import pytest

from ui import callback_data as cd

BIGGEST_ID = 999_999_999
LONGEST = [
    (
        cd.build(cd.PRODUCT, BIGGEST_ID, BIGGEST_ID, BIGGEST_ID),
        cd.pattern(cd.PRODUCT, cd.NUMBER, cd.NUMBER, cd.NUMBER),
    ),
    (
        cd.build(cd.PRODUCT_QUANTITY, BIGGEST_ID, -1, BIGGEST_ID, BIGGEST_ID),
        cd.pattern(cd.PRODUCT_QUANTITY, cd.NUMBER, cd.SIGNED, cd.NUMBER, cd.NUMBER),
    ),
    (
        cd.build(cd.ADD_TO_CART, BIGGEST_ID, 99, BIGGEST_ID, BIGGEST_ID),
        cd.pattern(cd.ADD_TO_CART, cd.NUMBER, cd.NUMBER, cd.NUMBER, cd.NUMBER),
    ),
    (
        cd.build(cd.CATALOG_PAGE, BIGGEST_ID, BIGGEST_ID),
        cd.pattern(cd.CATALOG_PAGE, cd.NUMBER, cd.NUMBER),
    ),
    (cd.build(cd.PRODUCT_PHOTOS, BIGGEST_ID), cd.pattern(cd.PRODUCT_PHOTOS, cd.NUMBER)),
    (cd.build(cd.CART_INCREASE, BIGGEST_ID), cd.pattern(cd.CART_INCREASE, cd.NUMBER)),
    (cd.build(cd.CONFIRM, "0123456789ab"), cd.pattern(cd.CONFIRM, cd.CHECKOUT_ID)),
    (cd.build(cd.CHECKOUT, cd.CHECKOUT_CHANGE_SAVED), cd.pattern(cd.CHECKOUT, cd.WORD)),
    (cd.build(cd.ORDER, BIGGEST_ID), cd.pattern(cd.ORDER, cd.NUMBER)),
    (cd.menu(cd.SECTION_CHECKOUT), cd.menu_pattern(cd.SECTION_CHECKOUT)),
]


@pytest.mark.parametrize(("data", "handler_pattern"), LONGEST, ids=[d for d, _ in LONGEST])
def test_fits_in_64_bytes_and_matches_its_pattern(data: str, handler_pattern) -> None:  # type: ignore[no-untyped-def]
    assert len(data.encode()) <= 64
    assert handler_pattern.match(data)


def test_prefixes_do_not_shadow_each_other() -> None:
    product = cd.build(cd.PRODUCT, 1, 0, 0)
    quantity = cd.pattern(cd.PRODUCT_QUANTITY, cd.NUMBER, cd.SIGNED, cd.NUMBER, cd.NUMBER)
    assert not quantity.match(product)
    products = cd.pattern(cd.PRODUCT, cd.NUMBER, cd.NUMBER, cd.NUMBER)
    assert not products.match(cd.build(cd.ADD_TO_CART, 1, 1, 0, 0))
