"""The customer's journey through the real bot, in steps the end-to-end tests share (no tests
here): filling the cart, walking the checkout to its summary and confirming. Each step waits on
the fake's events (`bot.settle()`), never on the clock, and returns the bot's latest message."""

from __future__ import annotations

from sandbox.telegram.driver import ChatMessage, Customer
from shop.contact import ContactDetails
from shop.form_answers import fit_mask
from shop.order_details import OrderDetails, SubmittedField
from tests.fixtures.telegram import RunningBot

# The details every journey gives at the checkout.
PHONE = "+447911123456"
EMAIL = "alice@example.com"

# Button labels a journey taps, per language.
ADD_TO_CART = {"en": "Add to cart", "ru": "В корзину"}
CONFIRM = {"en": "✅ Confirm", "ru": "✅ Подтвердить"}

# The checkout's steps in order, as `walk_to` names them.
STEPS = ["name", "phone", "email", "summary"]

# The payment method each customer's Confirm chooses (`to_summary`), by chat.
_paying: dict[int, str] = {}

# The market's order form asks more (sandbox/oneentry/shops/market.json): a phone in its
# mask, the delivery method, the address, a preferred date and an optional comment.
MARKET_MASK = "+7 (999) 999-99-99"
MARKET_PHONE = "+79161234567"  # shared as a contact; the order gets it in the mask
MARKET_PHONE_SHOWN = "+7 (916) 123-45-67"
MARKET_ADDRESS = "12 Tverskaya St, flat 3, Moscow"
COURIER = {"en": "Courier to the door", "ru": "Курьером до двери"}
SKIP = {"en": "⏭ Skip", "ru": "⏭ Пропустить"}
MARKET_DATE = "31.12.2030"

# Settings overrides: the payment follow-up on a tiny backoff, so its tests wait milliseconds.
QUICK = {"follow_up_first_seconds": 0.02, "follow_up_max_seconds": 0.1}

# The staff member (`admin_ids`) of the staff tests.
ADMIN_ID = 4242


async def say(bot: RunningBot, customer: Customer, text: str) -> ChatMessage:
    """Send a text and return the bot's latest message once it has answered."""
    await customer.send(text)
    await bot.settle()
    return await customer.last_message()


async def command(
    bot: RunningBot, customer: Customer, name: str, payload: str | None = None
) -> ChatMessage:
    """Send `/name [payload]` and return the bot's latest message once it has answered."""
    await customer.command(name, payload)
    await bot.settle()
    return await customer.last_message()


async def tap(bot: RunningBot, customer: Customer, label: str) -> ChatMessage:
    """Tap the inline button labelled `label` and return the bot's latest message."""
    await customer.tap(label)
    await bot.settle()
    return await customer.last_message()


async def share(bot: RunningBot, customer: Customer, phone: str, own: bool = True) -> ChatMessage:
    """Share a contact (one's own by default) and return the bot's latest message."""
    await customer.share_contact(phone, own=own)
    await bot.settle()
    return await customer.last_message()


async def add_product(
    bot: RunningBot, customer: Customer, product_id: int, times: int = 1, label: str = "Add to cart"
) -> None:
    """Open the product by its deep link and tap "Add to cart" `times` times."""
    await customer.command("start", payload=f"p_{product_id}")
    await bot.settle()
    for _ in range(times):
        await tap(bot, customer, label)


async def answer_the_form(
    bot: RunningBot,
    customer: Customer,
    shop: str,
    name: str,
    language: str = "en",
    comment: str | None = None,
) -> ChatMessage:
    """Every field of the shop's order form, as a customer answers them: the tea shop's name,
    phone and email; the market's as well, with its delivery questions (its optional comment
    skipped unless `comment` is given). The summary."""
    await say(bot, customer, name)
    await share(bot, customer, MARKET_PHONE if shop == "market" else PHONE)
    shown = await say(bot, customer, EMAIL)
    if shop == "market":
        await tap(bot, customer, COURIER[language])
        await say(bot, customer, MARKET_ADDRESS)
        await say(bot, customer, MARKET_DATE)
        if comment is None:
            shown = await tap(bot, customer, SKIP[language])
        else:
            shown = await say(bot, customer, comment)
    return shown


def order_details(shop: str, contact: ContactDetails) -> OrderDetails | ContactDetails:
    """The form fields an order of `contact` carries in `shop`, as the checkout sends them
    (for tests that place orders without walking the chat)."""
    if shop != "market":
        return contact
    phone = shown_phone(shop, contact.phone)
    return OrderDetails(
        (
            SubmittedField("customer_name", "string", contact.name),
            SubmittedField("customer_phone", "string", phone),
            SubmittedField("customer_email", "string", contact.email),
            SubmittedField(
                "delivery_method",
                "radioButton",
                [{"title": "Courier to the door", "value": "courier", "extended": {}}],
            ),
            SubmittedField("delivery_address", "text", [{"plainValue": MARKET_ADDRESS}]),
        )
    )


def shown_phone(shop: str, phone: str = PHONE) -> str:
    """The phone an order placed without the chat (`order_details`) holds: in the market's
    mask its last ten digits, so a search by a piece of the number still finds it."""
    if shop != "market":
        return phone
    digits = "".join(char for char in phone if char.isdigit())
    return fit_mask(phone, MARKET_MASK) or fit_mask(f"7{digits[-10:]}", MARKET_MASK) or phone


def journey_phone(shop: str) -> str:
    """The phone an order placed through the chat (`answer_the_form`) holds."""
    return MARKET_PHONE_SHOWN if shop == "market" else PHONE


async def walk_to(
    bot: RunningBot,
    customer: Customer,
    step: str,
    name: str = "Alice",
    payment: str = "Cash",
    language: str = "en",
) -> ChatMessage:
    """From a filled cart: /checkout, then each field's answer (the name, PHONE, EMAIL) until
    the checkout is at `step`, one of STEPS. `payment`: the method the summary's Confirm is to
    choose (`confirm`), where the shop offers several."""
    answers = [
        lambda: say(bot, customer, name),
        lambda: share(bot, customer, PHONE),
        lambda: say(bot, customer, EMAIL),
    ]
    _paying[customer.chat_id] = payment
    shown = await command(bot, customer, "checkout")
    for answer in answers[: STEPS.index(step)]:
        shown = await answer()
    return shown


async def to_summary(
    bot: RunningBot,
    customer: Customer,
    name: str = "Alice",
    payment: str = "Cash",
    language: str = "en",
) -> ChatMessage:
    """From a filled cart: /checkout and the three details; the summary Confirm is to pay by
    `payment`."""
    return await walk_to(bot, customer, "summary", name, payment, language)


async def walk_to_summary(
    bot: RunningBot, customer: Customer, payment: str, language: str = "en"
) -> ChatMessage:
    """Product 1 twice and product 2 once into the cart, then the checkout to its summary
    under the customer's first name, its Confirm to pay by `payment`."""
    for product_id, times in ((1, 2), (2, 1)):
        await add_product(bot, customer, product_id, times, label=ADD_TO_CART[language])
    return await to_summary(bot, customer, customer.first_name, payment, language)


def confirm_paying(payment: dict[str, str] | None, language: str = "en") -> str:
    """The summary's Confirm label: the ✅ of the payment method (per language) where the shop
    offers several, as that tap also chooses it; else ✅ Confirm."""
    return f"✅ {payment[language]}" if payment is not None else CONFIRM[language]


def pay_with(customer: Customer, payment: str) -> None:
    """The method this customer's Confirm chooses from now on (`confirm`, `confirm_label`)."""
    _paying[customer.chat_id] = payment


async def confirm_label(customer: Customer, language: str = "en") -> str:
    """The summary's Confirm as the customer's chat shows it: "✅ Confirm" where the shop's
    payment is settled, else the ✅ of the method the journey chose (`to_summary`)."""
    chosen = f"✅ {_paying.get(customer.chat_id, 'Cash')}"
    for shown in reversed((await customer.chat()).bot_messages):
        for label in (CONFIRM[language], chosen):
            if label in shown.labels:
                return label
    return CONFIRM[language]


async def confirm(bot: RunningBot, customer: Customer, language: str = "en") -> ChatMessage:
    """Tap Confirm on the summary and return the bot's latest message (the result)."""
    await customer.tap(await confirm_label(customer, language))
    await bot.settle()
    return await customer.last_message()
