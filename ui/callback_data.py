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
# A "place" is where a product card's "back" goes: <category id>:<page> (category 0 is the
# catalog's first screen).
CATALOG_PAGE = "cat"  # cat:<category id>:<page>
PRODUCT = "p"  # p:<product id>:<category id>:<page>
PRODUCT_QUANTITY = "pq"  # pq:<product id>:<quantity>:<category id>:<page>
ADD_TO_CART = "pa"  # pa:<product id>:<quantity>:<category id>:<page>
PRODUCT_PHOTOS = "pg"  # pg:<product id>     all of a product's pictures, as an album

# Cart
CART_INCREASE = "c+"  # c+:<product id>
CART_DECREASE = "c-"  # c-:<product id>
CART_REMOVE = "cx"  # cx:<product id>

# Checkout (the conversation). Actions are the CHECKOUT_* names below.
CHECKOUT = "co"  # co:<action>            e.g. co:edit_name, co:back
# cf:<checkout id>[:<revision>]: Confirm on a summary (the revision is what it showed, see
# CheckoutDraft.revision), or "Get payment link" / "Check again" for a placed checkout.
CONFIRM = "cf"
PAYMENT_ACCOUNT = "pm"  # pm:<index>     index into the draft's list of payment options
FIELD_OPTION = "fo"  # fo:<index>           a choice of the order form field being asked
FIELD_EDIT = "fe"  # fe:<index>             edit a field: index into the form's asked fields

CHECKOUT_USE_SAVED = "use_saved"
CHECKOUT_CHANGE_SAVED = "change_saved"
# Summaries shown before the checkout followed the shop's form: the field of that role.
CHECKOUT_EDIT_NAME = "edit_name"
CHECKOUT_EDIT_PHONE = "edit_phone"
CHECKOUT_EDIT_EMAIL = "edit_email"
CHECKOUT_SKIP = "skip"  # leave an optional field empty
CHECKOUT_DEFAULT = "default"  # answer with the field's default value
CHECKOUT_EDIT_CART = "edit_cart"
CHECKOUT_CART_DONE = "cart_done"
CHECKOUT_BACK = "back"
CHECKOUT_CANCEL = "cancel"
CHECKOUT_RETRY = "retry"  # place the order again after OneEntry was unavailable

# Orders (customer side)
ORDER = "o"  # o:<order id>
ORDERS_PAGE = "op"  # op:<page>

# Staff (admin) buttons; every handler for them sits behind the admin gate
ADMIN_ORDER = "ao"  # ao:<order id>                  one order of the storage
ADMIN_ORDERS_PAGE = "aop"  # aop:<page>              the storage's orders, a page
ADMIN_PENDING_PAGE = "app"  # app:[<days>:]<page>     the unpaid orders, a page
ADMIN_STATUS = "as"  # as:<order id>                 the status choices for an order
ADMIN_SET_STATUS = "ass"  # ass:<order id>:<status>  set the order's status (or ask first)
ADMIN_CONFIRM_STATUS = "asy"  # asy:<order id>:<status>  yes, set it (after the question)
ADMIN_STATUS_BACK = "asb"  # asb:<order id>          the status choices again, in place

# Sections the menu buttons open
SECTION_MENU = "menu"
SECTION_CATALOG = "catalog"
SECTION_CART = "cart"
SECTION_ORDERS = "orders"
SECTION_HELP = "help"
SECTION_CHECKOUT = "checkout"
SECTION_SEARCH = "search"

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


# ASCII digits only: `\d` would take other scripts' digits too.
NUMBER = r"[0-9]{1,9}"
SIGNED = r"-?[0-9]{1,3}"
CHECKOUT_ID = r"[0-9a-f]{12}"
REVISION = r"[0-9a-f]{8}"
WORD = r"[a-z_]{1,20}"
STATUS_ID = r"[A-Za-z0-9_.-]{1,40}"  # an order status identifier of the storage


def checkout_action(action: str) -> str:
    """A checkout button's data: `co:<action>`."""
    return build(CHECKOUT, action)


def checkout_action_pattern(action: str) -> re.Pattern[str]:
    return pattern(CHECKOUT, re.escape(action))


def any_of_pattern(*prefixes: str) -> re.Pattern[str]:
    """Any button of these kinds, whatever follows the prefix."""
    alternatives = "|".join(re.escape(prefix) for prefix in prefixes)
    return re.compile(f"^({alternatives}){re.escape(SEPARATOR)}")


def exact_pattern(data: str) -> re.Pattern[str]:
    """A button whose data is exactly `data` (the page counter's `noop`)."""
    return re.compile(f"^{re.escape(data)}$")


def confirm(checkout_id: str, revision: str | None = None, method: int | None = None) -> str:
    """`cf:<checkout id>[:<revision>[:<payment method>]]`: the method (its index among the
    storage's accounts) when the Confirm also chooses how to pay."""
    if revision is None:
        return build(CONFIRM, checkout_id)
    if method is None:
        return build(CONFIRM, checkout_id, revision)
    return build(CONFIRM, checkout_id, revision, method)


def confirm_pattern() -> re.Pattern[str]:
    """`cf:<checkout id>` with an optional `:<revision>` and then `:<method>`: group 1 the id,
    group 2 the revision, group 3 the payment method's index."""
    sep = re.escape(SEPARATOR)
    return re.compile(
        f"^{re.escape(CONFIRM)}{sep}({CHECKOUT_ID})(?:{sep}({REVISION})(?:{sep}({NUMBER}))?)?$"
    )
