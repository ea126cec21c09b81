"""The typed context every callback receives: the shop's services and the customer's state.

Services live on the Application (`ShopApplication.shop`), never in `bot_data`: the bot's
persistence pickles `user_data`, and an HTTP client there would break it. What is kept per
customer — language, cart — sits under a few fixed `user_data` keys, read and written only
through the properties below.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Any, cast

from telegram import Update
from telegram.ext import Application, CallbackContext, ExtBot

from application.commands import set_command_menus
from locales import Texts, language_for
from shop.cart import Cart
from shop.services import Shop
from shop.staff_records import StaffAudience

LANGUAGE_KEY = "language"
CART_KEY = "cart"
DRAFT_KEY = "checkout"  # the CheckoutDraft of the checkout in progress
DETAILS_KEY = "details"  # ContactDetails saved for the customer's next checkout


class ShopApplication(Application):  # type: ignore[type-arg]
    """PTB's Application carrying the shop's services.

    The services open and close with the Application itself (`initialize` / `shutdown`),
    not in `post_init`, which only `run_polling`/`run_webhook` call: the tests, the demo and
    production then share one life cycle.
    """

    __slots__ = ("shop", "staff_audience")

    def __init__(self, *, shop: Shop, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.shop = shop
        self.staff_audience: StaffAudience | None = None  # who gets staff menus and cards

    async def initialize(self) -> None:
        await super().initialize()
        await self.shop.__aenter__()
        try:
            await set_command_menus(self, self.staff_audience)
        except BaseException:
            await self.shop.__aexit__(None, None, None)
            raise

    async def shutdown(self) -> None:
        try:
            await super().shutdown()
        finally:
            await self.shop.__aexit__(None, None, None)


class ShopContext(CallbackContext[ExtBot[None], dict[str, Any], dict[str, Any], dict[str, Any]]):
    """`context.shop`, `context.texts`, `context.cart` for handlers."""

    __slots__ = ("_telegram_language",)

    def __init__(
        self,
        application: Application,  # type: ignore[type-arg]
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application, chat_id=chat_id, user_id=user_id)
        self._telegram_language: str | None = None

    @classmethod
    def from_update(cls, update: object, application: Application) -> ShopContext:  # type: ignore[override,type-arg]
        context = super().from_update(update, application)
        if isinstance(update, Update) and update.effective_user is not None:
            context._telegram_language = update.effective_user.language_code
        return context

    @property
    def shop(self) -> Shop:
        return cast(ShopApplication, self.application).shop

    @property
    def language(self) -> str:
        """The customer's choice (`/language`), else what their Telegram app says."""
        chosen = self.user_data.get(LANGUAGE_KEY) if self.user_data is not None else None
        return chosen or language_for(self._telegram_language)

    @language.setter
    def language(self, language: str) -> None:
        if self.user_data is not None:
            self.user_data[LANGUAGE_KEY] = language

    @property
    def texts(self) -> Texts:
        return Texts(self.language)

    @property
    def content_lang(self) -> str:
        """The OneEntry language code for this customer's catalog texts."""
        return self.shop.config.content_lang(self.language)

    @property
    def timezone(self) -> tzinfo:
        """The shop's time zone, for every date and time shown."""
        return self.shop.config.timezone

    @property
    def cart(self) -> Cart:
        """The customer's cart, created on first use; persisted with `user_data`."""
        if self.user_data is None:
            return Cart()
        return cast(Cart, self.user_data.setdefault(CART_KEY, Cart()))
