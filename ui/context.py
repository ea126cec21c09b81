"""The typed context every callback receives: the shop's services and the customer's state.

Services live on the Application (`ShopApplication.shop`), never in `bot_data`: the bot's
persistence pickles `user_data`, and an HTTP client there would break it. What is kept per
customer — language, cart, the checkout in progress, the details saved for the next one —
sits under a few fixed `user_data` keys, read and written only through the properties below.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable
from datetime import tzinfo
from typing import Any, Protocol, cast, runtime_checkable

from telegram import Update
from telegram.ext import Application, CallbackContext, ExtBot
from telegram.ext._utils.types import ConversationKey

from locales import Texts, language_for
from shop.cart import Cart
from shop.checkout import CheckoutDraft, SavedDetails
from shop.ledger_records import OrderItem
from shop.services import Shop
from shop.staff_records import StaffAudience
from shop.update_inbox import UpdateInbox
from ui.commands import set_command_menus
from ui.replay import replaying
from ui.screen import Screen

logger = logging.getLogger(__name__)

LANGUAGE_KEY = "language"
STAFF_LANGUAGE_KEY = "staff_language"  # an admin's language as last seen, for staff cards
CART_KEY = "cart"
DRAFT_KEY = "checkout"  # the CheckoutDraft of the checkout in progress
DETAILS_KEY = "details"  # SavedDetails (the answers by field) for the customer's next checkout
CAMPAIGN_KEY = "campaign"  # the campaign tag of the last deep link the customer came by
CHECKOUT_CONVERSATION = "checkout"  # the checkout ConversationHandler's name

UserData = dict[str, Any]


@runtime_checkable
class SavesUpdates(Protocol):
    """The bot's persistence (`application/chat_persistence.py`), as `save_now` uses it."""

    async def save_update(
        self,
        user_id: int,
        data: UserData,
        conversation: tuple[str, ConversationKey, object | None] | None = None,
        *,
        update_id: int | None = None,
        screen: str | None = None,
    ) -> None: ...


# PTB's Application with the context types this bot uses (chat and bot data are not kept).
BotApplication = Application[ExtBot[None], "ShopContext", UserData, UserData, UserData, Any]


class ShopApplication(BotApplication):
    """PTB's Application carrying the shop's services.

    The services open and close with the Application itself (`initialize` / `shutdown`),
    not in `post_init`, which only `run_polling`/`run_webhook` call: the tests, the demo and
    production then share one life cycle. What an update changed is handed to the
    persistence as soon as the update has been handled (coalesced: one run at a time, and one
    more if updates finished during it), not on PTB's timer.
    """

    __slots__ = (
        "_persist_task",
        "_persist_wanted",
        "_replays",
        "inbox",
        "shop",
        "staff_audience",
    )

    def __init__(self, *, shop: Shop, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.shop = shop
        self.staff_audience: StaffAudience | None = None  # who gets staff menus and cards
        self.inbox: UpdateInbox | None = None  # where delivered updates wait to be handled
        self._replays: set[int] = set()
        self._persist_wanted = False
        self._persist_task: asyncio.Task[None] | None = None

    def handle_again(self, update_ids: Iterable[int]) -> None:
        """These updates are a stopped process's, queued again (`application/inbox.py`)."""
        self._replays.update(update_ids)

    async def process_update(self, update: object) -> None:
        update_id = update.update_id if isinstance(update, Update) else None
        again = update_id is not None and update_id in self._replays
        try:
            with replaying() if again else contextlib.nullcontext():
                await super().process_update(update)
        finally:
            if update_id is not None:
                self._replays.discard(update_id)
                if self.inbox is not None:
                    self.inbox.handled(update_id)
            self._persist_soon()

    async def update_persistence(self) -> None:
        """PTB's save of what changed, after which the updates handled before it began are
        done in the inbox (each run: after every update, PTB's backstop, the stop)."""
        handled = self.inbox.take_handled() if self.inbox is not None else []
        await super().update_persistence()
        if handled and self.inbox is not None:
            await self.inbox.finish(handled)

    def _persist_soon(self) -> None:
        if self.persistence is None or not self.running:
            return
        self._persist_wanted = True
        if self._persist_task is None or self._persist_task.done():
            self._persist_task = asyncio.get_running_loop().create_task(self._persist())

    async def _persist(self) -> None:
        while self._persist_wanted and self.running:
            self._persist_wanted = False
            try:
                await self.update_persistence()
            except Exception:
                logger.exception("the customers' state could not be saved")
                return

    async def initialize(self) -> None:
        await super().initialize()
        await self.shop.__aenter__()
        try:
            await set_command_menus(self.bot, self.staff_audience)
        except BaseException:
            await self.shop.__aexit__(None, None, None)
            raise

    async def saved(self) -> None:
        """Wait until what the handled updates changed is in the store."""
        while self._persist_task is not None and not self._persist_task.done():
            await asyncio.gather(self._persist_task, return_exceptions=True)

    async def stop(self) -> None:
        await self.saved()
        await super().stop()

    async def shutdown(self) -> None:
        try:
            await super().shutdown()
        finally:
            await self.shop.__aexit__(None, None, None)

    def finish_checkout(self, user_id: int, checkout_id: str, ordered: Iterable[OrderItem]) -> None:
        """A checkout became an order: its draft ends, the cart gives up what the order took
        and the campaign tag went with it, whether the customer is in an update now or not
        (start-up, a job); written with the next persistence run."""
        data = self.user_data[user_id]
        data.pop(CAMPAIGN_KEY, None)
        draft = data.get(DRAFT_KEY)
        if isinstance(draft, CheckoutDraft) and draft.checkout_id == checkout_id:
            data.pop(DRAFT_KEY, None)
        cart = data.get(CART_KEY)
        if isinstance(cart, Cart):
            cart.take((item.product_id, item.quantity) for item in ordered)
        self.mark_data_for_update_persistence(user_ids=[user_id])
        self._persist_soon()

    def chosen_language(self, user_id: int) -> str | None:
        """The language a user chose with /language, None if they never did."""
        chosen = self.user_data.get(user_id, {}).get(LANGUAGE_KEY)
        return chosen if isinstance(chosen, str) and chosen else None

    def staff_language(self, user_id: int) -> str | None:
        """An admin's chosen (or last seen) language, None if the bot never heard from them."""
        seen = self.user_data.get(user_id, {}).get(STAFF_LANGUAGE_KEY)
        return self.chosen_language(user_id) or (seen if isinstance(seen, str) else None)


class ShopContext(CallbackContext[ExtBot[None], UserData, UserData, UserData]):
    """`context.shop`, `context.texts`, `context.cart`, `context.draft` for handlers."""

    __slots__ = ("_chat", "_sender_id", "_telegram_language", "_update_id")

    def __init__(
        self,
        application: BotApplication,
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application, chat_id=chat_id, user_id=user_id)
        self._telegram_language: str | None = None
        self._sender_id: int | None = user_id
        self._chat: int | None = chat_id
        self._update_id: int | None = None

    @classmethod
    def from_update(cls, update: object, application: BotApplication) -> ShopContext:
        context = super().from_update(update, application)
        if isinstance(update, Update):
            context._update_id = update.update_id
            if update.effective_user is not None:
                context._telegram_language = update.effective_user.language_code
                context._sender_id = update.effective_user.id
                context._chat = update.effective_chat.id if update.effective_chat else None
        return context

    async def save_now(self, screen: Screen | None = None) -> None:
        """Write this customer's data before the bot answers: what the answer acknowledges
        (a cart line, a checkout step) is on disk before the customer sees it, and with a
        checkout the step it shows (`CheckoutDraft.step`) as the conversation's state, which
        PTB would write only after the update — in one transaction, with the update marked
        applied and the `screen` about to be shown (the inbox shows it again if the bot dies
        before the customer saw it). Unchanged data costs no write."""
        persistence = self.application.persistence
        if not isinstance(persistence, SavesUpdates) or self._sender_id is None:
            return
        if self.user_data is None:
            return
        draft = self.draft
        conversation = None
        if draft is not None and draft.step is not None and self._chat is not None:
            conversation = (CHECKOUT_CONVERSATION, (self._chat, self._sender_id), draft.step)
        # The live dict, not a copy: the persistence encodes it before its first await.
        await persistence.save_update(
            self._sender_id,
            self.user_data,
            conversation,
            update_id=self._update_id,
            screen=screen.to_json() if screen is not None else None,
        )

    @property
    def app(self) -> ShopApplication:
        """The application, typed as the bot builds it."""
        return cast(ShopApplication, self.application)

    @property
    def shop(self) -> Shop:
        return self.app.shop

    @property
    def _data(self) -> UserData:
        """This user's persisted data; a throw-away dict for updates without a user."""
        return self.user_data if self.user_data is not None else {}

    @property
    def language(self) -> str:
        """The customer's choice (`/language`), else what their Telegram app says."""
        chosen = self._data.get(LANGUAGE_KEY)
        return (
            chosen if isinstance(chosen, str) and chosen else language_for(self._telegram_language)
        )

    @language.setter
    def language(self, language: str) -> None:
        self._data[LANGUAGE_KEY] = language

    def remember_staff_language(self) -> None:
        """Keep an admin's language so staff cards sent outside any update can use it."""
        self._data[STAFF_LANGUAGE_KEY] = self.language

    @property
    def texts(self) -> Texts:
        return Texts(self.language)

    @property
    def content_lang(self) -> str:
        """The OneEntry language code for this customer's catalog texts."""
        return self.shop.languages.content_lang(self.language)

    @property
    def timezone(self) -> tzinfo:
        """The shop's time zone, for every date and time shown."""
        return self.shop.config.timezone

    @property
    def campaign(self) -> str | None:
        """The campaign tag of the deep link that brought the customer (`p_<id>_<tag>`),
        until an order takes it."""
        tag = self._data.get(CAMPAIGN_KEY)
        return tag if isinstance(tag, str) and tag else None

    @campaign.setter
    def campaign(self, tag: str) -> None:
        self._data[CAMPAIGN_KEY] = tag

    @property
    def cart(self) -> Cart:
        """The customer's cart, created on first use; persisted with `user_data`."""
        if self.user_data is None:
            return Cart()
        return cast(Cart, self.user_data.setdefault(CART_KEY, Cart()))

    @property
    def draft(self) -> CheckoutDraft | None:
        """The checkout in progress, if any."""
        draft = self._data.get(DRAFT_KEY)
        return draft if isinstance(draft, CheckoutDraft) else None

    def require_draft(self) -> CheckoutDraft:
        """The checkout in progress, for the checkout's steps: their guard has made sure there
        is one."""
        draft = self.draft
        if draft is None:
            raise LookupError("no checkout in progress")
        return draft

    def start_draft(self) -> CheckoutDraft:
        """A new, empty checkout in place of any other."""
        draft = self._data[DRAFT_KEY] = CheckoutDraft()
        return draft

    def drop_draft(self) -> CheckoutDraft | None:
        """Ends the checkout in progress; returns what it held."""
        draft = self._data.pop(DRAFT_KEY, None)
        return draft if isinstance(draft, CheckoutDraft) else None

    @property
    def saved_details(self) -> SavedDetails | None:
        """The answers of the customer's last summary, offered at their next checkout (the
        three details an earlier version kept load as well)."""
        return SavedDetails.of(self._data.get(DETAILS_KEY))

    @saved_details.setter
    def saved_details(self, details: SavedDetails) -> None:
        self._data[DETAILS_KEY] = details

    def forget_saved_details(self) -> bool:
        """Deletes the saved details; True if there were any."""
        return self._data.pop(DETAILS_KEY, None) is not None
