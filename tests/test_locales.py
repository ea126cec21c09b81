"""Message catalogs: every English message has a Russian translation that keeps its
placeholders."""

import re

import pytest
from babel.messages.pofile import read_po

from locales import Texts, catalog_path, language_for


@pytest.mark.parametrize(
    ("telegram_code", "language"),
    [("ru", "ru"), ("ru-RU", "ru"), ("en", "en"), ("de", "en"), (None, "en"), ("", "en")],
)
def test_language_follows_telegram(telegram_code: str | None, language: str) -> None:
    assert language_for(telegram_code) == language


def test_russian_and_english_texts() -> None:
    assert Texts("ru")("Catalog") == "Каталог"
    assert Texts("en")("Catalog") == "Catalog"
    assert Texts("xx")("Catalog") == "Catalog"


@pytest.mark.parametrize(("count", "russian"), [(1, "1 товар"), (3, "3 товара"), (5, "5 товаров")])
def test_plurals(count: int, russian: str) -> None:
    assert Texts("ru").plural("{count} item", "{count} items", count) == russian
    assert Texts("en").plural("{count} item", "{count} items", 1) == "1 item"


def test_every_russian_message_is_translated_with_its_placeholders() -> None:
    with catalog_path("ru").open("rb") as po_file:
        catalog = read_po(po_file)
    placeholders = re.compile(r"\{[a-z_]+\}")
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"untranslated: {ids[0]!r}"
        assert not message.fuzzy, f"fuzzy: {ids[0]!r}"
        expected = set(placeholders.findall(ids[-1]))
        for string in strings:
            assert set(placeholders.findall(string)) == expected, f"placeholders: {ids[0]!r}"
