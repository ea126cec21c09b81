"""Message catalogs: every English message has a Russian translation that keeps its
placeholders."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from locales import Texts, catalog_paths, language_for


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


@pytest.mark.parametrize("path", catalog_paths("ru"), ids=lambda path: path.name)
def test_every_russian_message_is_translated_with_its_placeholders(path: Path) -> None:
    with path.open("rb") as po_file:
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


CODE_DIRS = ("handlers", "conversations", "application", "ui", "jobs")
KEYWORDS = {"_": None, "plural": (1, 2), "texts": None}


def _messages_in_code() -> set[str]:
    """Every message id the code passes to `_(...)`, `texts(...)` or `_.plural(...)`."""
    from babel.messages.extract import extract_from_dir

    root = Path(__file__).resolve().parents[2]
    found: set[str] = set()
    for directory in CODE_DIRS:
        for _filename, _lineno, message, _comments, _context in extract_from_dir(
            root / directory, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_message_in_the_code_has_a_russian_translation() -> None:
    russian = Texts("ru")
    assert _messages_in_code(), "the extractor found no messages: is the keyword list right?"
    untranslated = sorted(m for m in _messages_in_code() if russian(m) == m and _translatable(m))
    assert not untranslated, "missing in locales/ru/LC_MESSAGES/*.po:\n" + "\n".join(untranslated)


def _translatable(message: str) -> bool:
    """Messages that are the same in both languages (emoji, codes) need no entry."""
    return any(char.isalpha() for char in message)
