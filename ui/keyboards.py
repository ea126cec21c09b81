"""Keyboard pieces several screens share."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from locales import Texts
from ui import callback_data as cd


def menu_keyboard(_: Texts) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(_("🛍 Catalog"), callback_data=cd.menu(cd.SECTION_CATALOG)),
                InlineKeyboardButton(_("🛒 Cart"), callback_data=cd.menu(cd.SECTION_CART)),
            ],
            [
                InlineKeyboardButton(_("📦 My orders"), callback_data=cd.menu(cd.SECTION_ORDERS)),
                InlineKeyboardButton(_("❓ Help"), callback_data=cd.menu(cd.SECTION_HELP)),
            ],
        ]
    )


def pager_row(kind: str, number: int, count: int, *before: int | str) -> list[InlineKeyboardButton]:
    """◀️ n/m ▶️ under a list of `count` pages showing page `number` (from 0); the arrows
    wrap around and carry `kind:[<before>:]<page>` callback data."""
    return [
        InlineKeyboardButton("◀️", callback_data=cd.build(kind, *before, (number - 1) % count)),
        InlineKeyboardButton(f"{number + 1}/{count}", callback_data=cd.NOOP),
        InlineKeyboardButton("▶️", callback_data=cd.build(kind, *before, (number + 1) % count)),
    ]


def back_to_menu_row(_: Texts) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(_("⬅️ Menu"), callback_data=cd.menu(cd.SECTION_MENU))]
