"""Before any handler sees an update: a checkout in progress that has already become an order
is finished first.

Normally the Confirm that placed the order finishes its checkout at once. But the ledger is
what is durable: if the bot stopped (or Telegram refused the order message) after OneEntry
took the order and before the customer's state was written, the customer's next update finds
a draft whose checkout the ledger says is placed. It ends here, and the cart gives up what the
order took, so nothing of that order is offered again and the next Confirm is a new checkout.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, TypeHandler

from shop.ledger_records import CheckoutState
from ui.context import ShopContext
from ui.updates import sender_id

GROUP = -1  # before the checkout and every other handler


async def finish_placed_checkout(update: Update, context: ShopContext) -> None:
    draft = context.draft
    if draft is None or update.effective_user is None:
        return
    checkout = await context.shop.ledger.checkout(draft.checkout_id)
    if checkout is not None and checkout.state is CheckoutState.PLACED:
        context.app.finish_checkout(sender_id(update), checkout.checkout_id, checkout.items)


def placed_checkout_handlers() -> list[BaseHandler[Update, ShopContext, None]]:
    return [TypeHandler(Update, finish_placed_checkout)]
