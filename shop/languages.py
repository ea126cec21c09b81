"""Which OneEntry language each customer reads the shop's content in.

The bot speaks English and Russian; the project has its own active languages
(`GET /locales/active/all`). A customer reads the language the settings give for theirs when
the project has it, else the project's language of the same short code, else the default
one (ONEENTRY_LANG). OneEntry does not fall back by itself: a text missing in a customer's
language comes back empty, so the services that show texts fall back to the default language
themselves (`fallback_langs`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from oneentry_client import Locale, OneEntryClient, OneEntryError

logger = logging.getLogger(__name__)


class ContentLanguages:
    """The bot language → OneEntry language mapping, checked against the active languages."""

    def __init__(self, configured: Sequence[tuple[str, str]]) -> None:
        self._configured = tuple(configured)
        self.default = self._configured[0][1]
        self._active: tuple[Locale, ...] = ()
        self._mapping = dict(self._configured)

    @property
    def active(self) -> tuple[Locale, ...]:
        """The project's active languages as last read (empty until read)."""
        return self._active

    async def load(self, client: OneEntryClient) -> None:
        """Read the project's active languages; on failure the settings' mapping stays."""
        try:
            locales = await client.locales.active()
        except OneEntryError as error:
            logger.warning("the project's languages not read (settings used): %s", error)
            return
        self.use(locales)

    def use(self, locales: Sequence[Locale]) -> None:
        active = tuple(
            sorted(
                (locale for locale in locales if locale.is_active is not False),
                key=lambda locale: locale.position or 0,
            )
        )
        if not active:
            return
        codes = {locale.code for locale in active}
        if self._configured[0][1] not in codes:
            logger.warning(
                "ONEENTRY_LANG %s is not an active language; using %s",
                self._configured[0][1],
                active[0].code,
            )
        self.default = self._configured[0][1] if self._configured[0][1] in codes else active[0].code
        mapping: dict[str, str] = {}
        for language, lang in self._configured:
            if lang in codes:
                mapping[language] = lang
                continue
            same = next((loc.code for loc in active if _short(loc) == language), None)
            mapping[language] = same or self.default
        self._active = active
        self._mapping = mapping

    def content_lang(self, language: str) -> str:
        """The OneEntry language of a customer whose bot language is `language`."""
        return self._mapping.get(language) or self.default

    def language_for_content(self, content_lang: str) -> str:
        """The bot language of customers who read `content_lang`."""
        for language, lang in self._mapping.items():
            if lang == content_lang:
                return language
        return self._configured[0][0]

    def fallback_langs(self, lang: str) -> tuple[str, ...]:
        """Where to look for a text, in order: the customer's language, then the default."""
        return (lang,) if lang == self.default else (lang, self.default)


def _short(locale: Locale) -> str:
    return (locale.short_code or locale.code.split("_")[0]).lower()
