"""The update inbox (`shop/update_inbox.py`) wired into python-telegram-bot.

Updates reach PTB two ways, and each is kept before Telegram hears it arrived:

- polling: `InboxRequest` is the getUpdates connection; it writes each answer's updates to the
  inbox before PTB reads them, and PTB's next getUpdates (which confirms them) comes after. If
  the write fails, PTB sees a network error and asks for the same updates again.
- webhook: `InboxQueue` is the application's update queue; PTB's webhook handler puts each
  update in it before it answers Telegram's POST, and the put writes the update first. If the
  write fails, the POST fails, and Telegram delivers the update again later.

The queue also drops what Telegram delivers twice. `take_over` runs at start-up, before
updates are fetched: what a stopped process left unfinished is queued again or shown again.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import orjson
from telegram import Update
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TelegramError
from telegram.request import BaseRequest, RequestData

from application.bot_api_request import AiohttpRequest
from application.update_processor import is_confirm
from shop.chat_state import InboxEntry
from shop.update_inbox import UpdateInbox
from ui.context import ShopApplication
from ui.screen import Screen
from ui.sending import deliver

logger = logging.getLogger(__name__)


class InboxRequest(AiohttpRequest):
    """The getUpdates connection: what Telegram answers is in the inbox before PTB sees it."""

    def __init__(self, inbox: UpdateInbox, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._inbox = inbox

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        polling = url.endswith("/getUpdates")
        offset = request_data.parameters.get("offset") if request_data is not None else None
        status, body = await super().do_request(
            url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
        )
        if polling and isinstance(offset, int) and offset > 0:
            self._inbox.confirmed_below(offset)  # Telegram has been told it may forget them
        if status == 200 and polling:
            updates = orjson.loads(body).get("result") or []
            try:
                await self._inbox.receive(
                    [(update["update_id"], orjson.dumps(update).decode()) for update in updates]
                )
            except Exception as error:
                # PTB retries getUpdates with the same offset: Telegram still holds them.
                logger.warning("the updates could not be kept, asking again: %s", error)
                raise NetworkError("the updates could not be kept") from error
        return status, body


class InboxQueue(asyncio.Queue[object]):
    """The application's update queue: an update is kept before it is queued (the webhook's
    way in; polled updates are kept already), and one Telegram delivered twice is dropped."""

    def __init__(self, inbox: UpdateInbox) -> None:
        super().__init__()
        self._inbox = inbox

    async def put(self, item: object) -> None:
        if isinstance(item, Update):
            if not self._inbox.holds(item.update_id):
                await self._inbox.receive([(item.update_id, item.to_json())])
            if not self._inbox.admit(item.update_id):
                logger.debug("update %s delivered again: dropped", item.update_id)
                return
        await super().put(item)


async def take_over(application: ShopApplication, inbox: UpdateInbox) -> None:
    """Queue again each update the previous process left new, in order; show again the
    screen of one it left applied, unless a later update of that chat will answer anyway. A
    Confirm is queued again either way: the ledger places its order once, and the customer
    sees where it stands."""
    entries = [(entry, _update(entry, application)) for entry in await inbox.take_over()]
    last_of_chat = {_chat(update): entry.update_id for entry, update in entries}
    again: list[Update] = []
    shown: list[tuple[int, Screen]] = []
    finished: list[int] = []
    for entry, update in entries:
        if update is not None and (entry.is_new or is_confirm(update)):
            again.append(update)
            continue
        finished.append(entry.update_id)
        chat = _chat(update)
        if entry.screen and chat is not None and last_of_chat[chat] == entry.update_id:
            shown.append((chat, Screen.from_json(entry.screen)))
    for chat, screen in shown:
        try:
            await deliver(application.bot, chat, screen)
        except TelegramError as error:
            logger.info("a screen not shown again: %s", error)
    if finished:
        await inbox.finish(finished)
    application.handle_again(update.update_id for update in again)
    for update in again:
        await application.update_queue.put(update)
    if entries:
        logger.info(
            "took over %d unfinished updates: %d handled again, %d screens shown again",
            len(entries),
            len(again),
            len(shown),
        )


def _update(entry: InboxEntry, application: ShopApplication) -> Update | None:
    if entry.body is None:
        return None
    return Update.de_json(json.loads(entry.body), application.bot)


def _chat(update: Update | None) -> int | None:
    chat = update.effective_chat if update is not None else None
    return chat.id if chat is not None else None
