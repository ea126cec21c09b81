"""The checkout's states, named for what the bot awaits. The values are stable strings, not
positions: persisted conversations outlive a deploy that inserts a step."""

from __future__ import annotations

from telegram.ext import ConversationHandler

OFFERING_SAVED_DETAILS = "checkout.saved_details"  # "Use these?" for a returning customer
ASKING_NAME = "checkout.name"
ASKING_PHONE = "checkout.phone"
ASKING_EMAIL = "checkout.email"
CHOOSING_PRODUCTS = "checkout.products"  # the cart, or the catalog when the cart is empty
CHOOSING_PAYMENT = "checkout.payment"  # only when the storage offers more than one account
CONFIRMING = "checkout.confirm"  # the summary with Confirm / Edit / Cancel

END = ConversationHandler.END
