"""The admin gate: one filter built from ADMIN_IDS, on every admin command and admin button.

A non-admin's admin command matches no handler, so it gets exactly what an unknown command
gets (nothing); a non-admin's admin button (forged or not) falls through to the catch-all for
expired buttons. Neither reveals any data.
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
    """Passes updates whose sender is one of the shop's admins."""

    __slots__ = ("admin_ids",)

    def __init__(self, admin_ids: Collection[int]) -> None:
        super().__init__(name="AdminFilter")
        self.admin_ids = frozenset(admin_ids)

    def filter(self, update: Update) -> bool:
        user = update.effective_user
        return user is not None and user.id in self.admin_ids


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


def chat_language(application: ShopApplication, chat_id: int, admin_ids: Collection[int]) -> str:
    """An admin's own chat speaks their language; the staff group the first admin's known one."""
    if chat_id in admin_ids:
        return application.staff_language(chat_id) or DEFAULT_LANGUAGE
    for admin_id in sorted(admin_ids):
        language = application.staff_language(admin_id)
        if language:
            return language
    return DEFAULT_LANGUAGE
