"""The admin gate: one filter built from ADMIN_IDS and STAFF_CHAT_ID, on every admin command
and admin button.

Staff data (customers' names, phones, emails) is shown only to an admin, and only in that
admin's private chat or in the staff chat: an admin typing /order in a family group gets
nothing there. A non-admin's admin command, or an admin's in another chat, matches no handler,
so it gets exactly what an unknown command gets; a non-admin's admin button (forged or not)
falls through to the catch-all for expired buttons. Neither reveals any data.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, filters

from locales import DEFAULT_LANGUAGE
from ui.context import ShopApplication, ShopContext


class AdminFilter(filters.UpdateFilter):
    """Passes updates from one of the shop's admins, in their private chat or the staff
    chat."""

    __slots__ = ("admin_ids", "staff_chat_id")

    def __init__(self, admin_ids: Collection[int], staff_chat_id: int | None = None) -> None:
        super().__init__(name="AdminFilter")
        self.admin_ids = frozenset(admin_ids)
        self.staff_chat_id = staff_chat_id

    def filter(self, update: Update) -> bool:
        user, chat = update.effective_user, update.effective_chat
        if user is None or chat is None or user.id not in self.admin_ids:
            return False
        return chat.id == user.id or (
            self.staff_chat_id is not None and chat.id == self.staff_chat_id
        )


class AdminCallbackQueryHandler(CallbackQueryHandler[ShopContext, None]):
    """A CallbackQueryHandler that only sees the buttons admins tap."""

    __slots__ = ("gate",)

    def __init__(self, gate: AdminFilter, callback: Any, pattern: re.Pattern[str]) -> None:
        super().__init__(callback, pattern=pattern)
        self.gate = gate

    def check_update(self, update: object) -> Any:
        # filter(), not check_update(): a filter's check_update only looks at messages.
        if not isinstance(update, Update) or not self.gate.filter(update):
            return None
        return super().check_update(update)


def chat_language(
    application: ShopApplication,
    chat_id: int,
    admin_ids: Collection[int],
    staff_language: str | None = None,
) -> str:
    """An admin's own chat speaks their language; the staff group STAFF_LANGUAGE, else the
    first admin's known one."""
    if chat_id in admin_ids:
        return application.staff_language(chat_id) or DEFAULT_LANGUAGE
    if staff_language:
        return staff_language
    for admin_id in sorted(admin_ids):
        language = application.staff_language(admin_id)
        if language:
            return language
    return DEFAULT_LANGUAGE
