"""Which handler sees an update, in order. A checkout that already became an order is finished
before anything else sees the update (its own group). Then the conversation goes first so its
steps win over the general buttons; the staff's handlers (behind the admin gate) come before
the customers' so an admin's /orders lists the shop's orders; a text no step took is a search;
an unknown command or a message of another kind gets a one-line answer; the catch-all for
expired buttons goes last."""

from __future__ import annotations

from conversations.checkout import build_checkout_handler, checkout_commands
from conversations.placing import placing_handlers
from handlers.admin import admin_handlers
from handlers.cart import cart_handlers
from handlers.catalog import catalog_handlers
from handlers.errors import fallback_handlers, on_error
from handlers.menu import menu_handlers
from handlers.orders import orders_handlers
from handlers.placed_checkouts import GROUP as PLACED_CHECKOUTS_GROUP
from handlers.placed_checkouts import placed_checkout_handlers
from handlers.search import search_handlers
from handlers.unmatched import unmatched_handlers
from shop.staff_records import StaffAudience
from ui.context import ShopApplication


def add_handlers(
    application: ShopApplication,
    *,
    checkout_timeout_minutes: float,
    audience: StaffAudience,
) -> None:
    application.add_handlers(placed_checkout_handlers(), group=PLACED_CHECKOUTS_GROUP)
    application.add_handler(build_checkout_handler(checkout_timeout_minutes))
    application.add_handlers(admin_handlers(audience))
    application.add_handlers(menu_handlers())
    application.add_handlers(catalog_handlers())
    application.add_handlers(cart_handlers())
    application.add_handlers(checkout_commands())
    application.add_handlers(placing_handlers())
    application.add_handlers(orders_handlers())
    application.add_handlers(search_handlers())
    application.add_handlers(unmatched_handlers())
    application.add_handlers(fallback_handlers())
    application.add_error_handler(on_error)
