"""`ShopConfig`: the shop's rules and OneEntry markers, read once from the settings.

Every service of the shop takes it; it imports nothing of theirs, so none of them depends
on another for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, tzinfo


@dataclass(frozen=True, slots=True)
class ShopConfig:
    """The shop's rules and OneEntry markers, taken from the settings at start-up."""

    order_storage: str = "guest_orders"
    order_form: str = "guest_order"
    name_field: str = "guest_name"
    phone_field: str = "guest_phone"
    email_field: str = "guest_email"
    default_payment_account: str = "cash"
    content_langs: tuple[tuple[str, str], ...] = (("en", "en_US"), ("ru", "ru_RU"))
    default_phone_region: str = "RU"
    catalog_page_size: int = 8
    timezone: tzinfo = UTC  # the shop's: order dates, staff times, "today"

    def content_lang(self, language: str) -> str:
        """The OneEntry language code for a customer's bot language."""
        langs = dict(self.content_langs)
        return langs.get(language) or self.content_langs[0][1]

    def language_for_content(self, content_lang: str) -> str:
        """The bot language of customers who see `content_lang` (content_lang reversed)."""
        for language, lang in self.content_langs:
            if lang == content_lang:
                return language
        return self.content_langs[0][0]
