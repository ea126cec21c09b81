"""What the staff tests share (no tests here): the two shops as staff see them, placing an
order as Confirm does or through the chat, and shop definitions written the way an owner
would: the tea shop and the market with a year of past orders (more than any fixed page
count), and with an order form that asks for one more field than name, phone and email."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sandbox.oneentry.shop import SHOPS_DIR
from sandbox.telegram.driver import ChatMessage, Customer
from shop.contact import ContactDetails
from shop.ledger_records import OrderItem
from shop.order_details import OrderDetails
from shop.placement_types import PlacementRequest
from tests.e2e.journeys import (
    ADD_TO_CART,
    add_product,
    answer_the_form,
    command,
    confirm_paying,
    order_details,
    tap,
)
from tests.fixtures.telegram import RunningBot, TelegramFake


@dataclass(frozen=True)
class Shop:
    """What these tests need to know of a shop, per bot language where it shows."""

    name: str
    product_id: int
    product: dict[str, str]  # its title per bot language (the market has no Russian for it)
    payment: dict[str, str] | None  # the payment method's button, when there is a choice
    open: dict[str, str]  # the default order status's title
    moved: dict[str, str]  # a status that moves an order on
    cancelled: dict[str, str]
    currency: str
    line_total: dict[str, str]  # the product twice, as the cart showed it


TEA = Shop(
    "tea",
    product_id=1,
    product={"en": "Green tea Sencha", "ru": "Зелёный чай Сенча"},
    payment={"en": "Card (Stripe)", "ru": "Карта (Stripe)"},
    open={"en": "In progress", "ru": "В работе"},
    moved={"en": "Shipped", "ru": "Отправлен"},
    cancelled={"en": "Cancelled", "ru": "Отменён"},
    currency="USD",
    line_total={"en": "$25.00", "ru": "25,00\xa0$"},
)
MARKET = Shop(
    "market",
    product_id=10,
    product={"en": "Earl Grey loose tea, 200 g", "ru": "Earl Grey loose tea, 200 g"},
    payment=None,
    open={"en": "Created", "ru": "Создан"},
    moved={"en": "Packed", "ru": "Собран"},
    cancelled={"en": "Cancelled by the shop", "ru": "Отменён магазином"},
    currency="EUR",
    line_total={"en": "€12.60", "ru": "12,60\xa0€"},
)


async def placed(
    bot: RunningBot,
    fake: TelegramFake,
    shop: Shop,
    user_id: int,
    contact: ContactDetails,
    language: str = "en",
) -> tuple[Customer, int]:
    """A customer who opened the bot, and an order they placed through the shop's real
    placement (as Confirm does, without walking the chat)."""
    customer = await fake.client.customer(user_id, contact.name, language_code=language)
    services = bot.application.shop  # type: ignore[attr-defined]
    result = await services.placement.place(
        PlacementRequest(
            checkout_id=f"{user_id:012x}",
            user_id=user_id,
            chat_id=user_id,
            contact=order_details(shop.name, contact),
            items=(OrderItem(shop.product_id, 2, shop.product[language]),),
            payment_account=services.config.default_payment_account,
            content_lang=services.languages.content_lang(language),
        )
    )
    return customer, result.order.order_id


async def order_in_chat(
    bot: RunningBot, customer: Customer, shop: Shop, language: str
) -> ChatMessage:
    """The product twice from its link, the checkout, Confirm: the order message."""
    await add_product(bot, customer, shop.product_id, times=2, label=ADD_TO_CART[language])
    await command(bot, customer, "checkout")
    await answer_the_form(bot, customer, shop.name, customer.first_name, language)
    return await tap(bot, customer, confirm_paying(shop.payment, language))


@dataclass(frozen=True)
class ShopMarkers:
    """What a generated past order needs to know of a shop."""

    storage: str
    form: str
    name: str
    phone: str
    email: str
    guest: str
    account: str
    open_status: str  # the storage's default order status
    unpaid: str  # the payment status of an unpaid order
    paid: str  # the payment status that means paid
    product_id: int  # a product with a price


MARKERS = {
    "tea": ShopMarkers(
        "guest_orders",
        "guest_order",
        "guest_name",
        "guest_phone",
        "guest_email",
        "guest@shop.example",
        "cash",
        "inProgress",
        "waiting",
        "paid",
        1,
    ),
    "market": ShopMarkers(
        "market_orders",
        "market_checkout",
        "customer_name",
        "customer_phone",
        "customer_email",
        "bot-guest",
        "paypal",
        "created",
        "inProgress-payment",
        "payment-done",
        1,
    ),
}

# The year of orders: RECENT orders in the last RECENT_DAYS days (more than 500, the count the
# staff lists once stopped at), then OLDER ones back to a year ago. Every UNPAID_EVERY-th is
# unpaid. The very oldest is the only order of a customer staff look for.
RECENT = 560
RECENT_DAYS = 20
OLDER = 60
UNPAID_EVERY = 7
OLDEST_NAME = "Zoë Oldfield"
OLDEST_EMAIL = "zoe@old-customers.example"
OLDEST_PHONE = "+441632960001"
EXTRA_FIELD = "delivery_note"
EXTRA_TITLES = {"en_US": "Delivery note", "ru_RU": "Комментарий к доставке"}


def definition(shop: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((Path(SHOPS_DIR) / f"{shop}.json").read_text("utf-8"))
    return data


def past_order(
    markers: ShopMarkers,
    order_id: int,
    age_hours: float,
    name: str,
    phone: str,
    email: str,
    *,
    paid: bool,
    extra: str | None = None,
) -> dict[str, Any]:
    form_data = [
        {"marker": markers.name, "type": "string", "value": name},
        {"marker": markers.phone, "type": "string", "value": phone},
        {"marker": markers.email, "type": "string", "value": email},
    ]
    if markers.form == "market_checkout":  # what the market's form asks, as the bot sends it
        details = order_details("market", ContactDetails(name, phone, email))
        assert isinstance(details, OrderDetails)
        form_data = [{"marker": f.marker, "type": f.type, "value": f.value} for f in details.fields]
    if extra is not None:
        form_data.append({"marker": EXTRA_FIELD, "type": "string", "value": extra})
    return {
        "id": order_id,
        "user": markers.guest,
        "storage": markers.storage,
        "ageHours": age_hours,
        "formLang": "en_US",
        "formData": form_data,
        "products": [{"productId": markers.product_id, "quantity": 2}],
        "paymentAccountIdentifier": markers.account,
        "statusIdentifier": markers.open_status,
        "paymentStatusIdentifier": markers.paid if paid else markers.unpaid,
        "sessions": [],
    }


def with_a_year_of_orders(shop: str, directory: Path) -> Path:
    """`shop` with RECENT + OLDER more past orders (ids from 5001), written to `directory`."""
    markers = MARKERS[shop]
    data = definition(shop)
    orders = []
    for number in range(RECENT):
        age = (number + 1) * RECENT_DAYS * 24 / (RECENT + 1)
        orders.append(
            past_order(
                markers,
                5001 + number,
                age,
                f"Buyer {number}",
                f"+4479111{number:05d}",
                f"buyer{number}@example.com",
                paid=number % UNPAID_EVERY != 0,
            )
        )
    for number in range(OLDER):
        age = (RECENT_DAYS + (number + 1) * (345 / (OLDER + 1))) * 24
        last = number == OLDER - 1
        orders.append(
            past_order(
                markers,
                5001 + RECENT + number,
                age,
                OLDEST_NAME if last else f"Old buyer {number}",
                OLDEST_PHONE if last else f"+4479112{number:05d}",
                OLDEST_EMAIL if last else f"old{number}@example.com",
                paid=True,
            )
        )
    data["pastOrders"] = [*data.get("pastOrders", []), *orders]
    return _write(data, directory / f"{shop}-a-year.json")


def with_a_delivery_note(shop: str, directory: Path, note: str) -> tuple[Path, int]:
    """`shop` whose order form also has an optional `delivery_note` field, and one past order
    (returned with the file) that filled it in."""
    markers = MARKERS[shop]
    data = definition(shop)
    form = next(f for f in data["forms"] if f["identifier"] == markers.form)
    form["attributes"].append(
        {
            "marker": EXTRA_FIELD,
            "type": "string",
            "position": 10,
            "localizeInfos": {lang: {"title": title} for lang, title in EXTRA_TITLES.items()},
            "validators": {},
        }
    )
    order_id = 4001
    data["pastOrders"] = [
        *data.get("pastOrders", []),
        past_order(
            markers,
            order_id,
            1.0,
            "Dora Note",
            "+441632960002",
            "dora@example.com",
            paid=False,
            extra=note,
        ),
    ]
    return _write(data, directory / f"{shop}-with-a-note.json"), order_id


def _write(data: dict[str, Any], path: Path) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path
