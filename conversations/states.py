"""The checkout's states, named for what the bot awaits. The values are stable strings, not
positions: persisted conversations outlive a deploy that inserts a step."""

from __future__ import annotations

from typing import TypeAlias

from telegram.ext import ConversationHandler

# What a checkout callback returns: one of the names below, or END (PTB's -1).
State: TypeAlias = str | int

OFFERING_SAVED_DETAILS = "checkout.saved_details"  # "Use these?" for a returning customer
ASKING_FIELD = "checkout.field"  # one field of the shop's order form (`CheckoutDraft.asking`)
CHOOSING_PRODUCTS = "checkout.products"  # the cart, or the catalog when the cart is empty
CHOOSING_PAYMENT = "checkout.payment"  # only when the storage offers more than one account
CONFIRMING = "checkout.confirm"  # the summary with Confirm / Edit / Cancel

# The steps of an earlier version, which asked three fixed details: conversations saved then
# still await one, and go on at the order form's field of that role.
LEGACY_FIELD_STEPS = {
    "checkout.name": "@name",
    "checkout.phone": "@phone",
    "checkout.email": "@email",
}

END = ConversationHandler.END
