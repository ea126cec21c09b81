"""Every inline button's callback data, in one place.

Each button kind has a short prefix, a builder and a handler pattern derived from that prefix.
Values are short ids and numbers only (never names), so they stay far below Telegram's 64-byte
limit; a test checks the longest each builder can make.
"""

from __future__ import annotations

import re

SEPARATOR = ":"

# Menu
MENU = "m"  # m:<section>
LANGUAGE = "lang"  # lang:<code>

# Catalog and product cards
CATALOG_PAGE = "cat"  # cat:<page>
PRODUCT = "p"  # p:<product id>:<catalog page>
PRODUCT_QUANTITY = "pq"  # pq:<product id>:<quantity>:<catalog page>
ADD_TO_CART = "pa"  # pa:<product id>:<quantity>:<catalog page>

# Cart
CART_INCREASE = "c+"  # c+:<product id>
CART_DECREASE = "c-"  # c-:<product id>
CART_REMOVE = "cx"  # cx:<product id>

# Sections the menu buttons open
SECTION_MENU = "menu"
SECTION_CATALOG = "catalog"
SECTION_CART = "cart"
SECTION_ORDERS = "orders"
SECTION_HELP = "help"
SECTION_CHECKOUT = "checkout"

NOOP = "noop"  # a label-only button, e.g. the page counter


def build(prefix: str, *parts: int | str) -> str:
    """`build(PRODUCT, 12, 0)` → `"p:12:0"`."""
    return SEPARATOR.join([prefix, *map(str, parts)])


def pattern(prefix: str, *part_patterns: str) -> re.Pattern[str]:
    """The handler pattern for a prefix: `pattern(PRODUCT, r"\\d+", r"\\d+")`."""
    parts = [re.escape(prefix), *(f"({part})" for part in part_patterns)]
    return re.compile("^" + re.escape(SEPARATOR).join(parts) + "$")


def menu(section: str) -> str:
    return build(MENU, section)


def menu_pattern(section: str) -> re.Pattern[str]:
    return re.compile(f"^{re.escape(build(MENU, section))}$")


NUMBER = r"\d{1,9}"
SIGNED = r"-?\d{1,3}"
