"""Message catalogs: English message ids in the code, Russian translations in a gettext `.po`.

The `.po` files are compiled in memory when first used, so there is no build step. Each area
of the bot has its own file (`locales/ru/LC_MESSAGES/<area>.po`); they are merged into one
catalog per language.
"""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES_DIR = Path(__file__).parent
DOMAIN = "bot"
DEFAULT_LANGUAGE = "en"
LANGUAGES = ("en", "ru")


def language_for(telegram_language_code: str | None) -> str:
    """Russian when Telegram says the user's app is in Russian, English otherwise."""
    if telegram_language_code and telegram_language_code.lower().startswith("ru"):
        return "ru"
    return DEFAULT_LANGUAGE


def catalog_paths(language: str) -> list[Path]:
    """The `.po` files of a language, one per area of the bot."""
    return sorted((LOCALES_DIR / language / "LC_MESSAGES").glob("*.po"))


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The translations for a language; English (the message ids themselves) for any other."""
    paths = catalog_paths(language)
    if language == DEFAULT_LANGUAGE or not paths:
        return gettext.NullTranslations()
    merged: gettext.NullTranslations | None = None
    for path in paths:
        with path.open("rb") as po_file:
            catalog = read_po(po_file, locale=language, domain=DOMAIN)
        compiled = io.BytesIO()
        write_mo(compiled, catalog, use_fuzzy=False)
        compiled.seek(0)
        part = gettext.GNUTranslations(compiled)
        if merged is None:
            merged = part
        else:
            merged.add_fallback(part)
    assert merged is not None
    return merged


class Texts:
    """Translate messages into one language: `t = Texts("ru"); t("Catalog")`."""

    __slots__ = ("_translations", "language")

    def __init__(self, language: str) -> None:
        self.language = language if language in LANGUAGES else DEFAULT_LANGUAGE
        self._translations = translations(self.language)

    def __call__(self, message: str, /, **values: object) -> str:
        text = self._translations.gettext(message)
        return text.format(**values) if values else text

    def plural(self, singular: str, plural: str, count: int, /, **values: object) -> str:
        text = self._translations.ngettext(singular, plural, count)
        return text.format(count=count, **values)
