"""Which OneEntry language a customer reads, against the project's active languages."""

from __future__ import annotations

from oneentry_client import Locale
from shop.languages import ContentLanguages

SETTINGS = (("en", "en_US"), ("ru", "ru_RU"))


def locale(code: str, position: int, short: str | None = None) -> Locale:
    return Locale(code=code, short_code=short or code[:2], position=position, is_active=True)


def test_before_the_project_is_read_the_settings_rule() -> None:
    languages = ContentLanguages(SETTINGS)
    assert languages.content_lang("ru") == "ru_RU" and languages.content_lang("en") == "en_US"
    assert languages.content_lang("de") == "en_US"


def test_a_project_with_both_languages_keeps_the_settings() -> None:
    languages = ContentLanguages(SETTINGS)
    languages.use([locale("en_US", 1), locale("ru_RU", 2)])
    assert languages.content_lang("ru") == "ru_RU"
    assert languages.fallback_langs("ru_RU") == ("ru_RU", "en_US")
    assert languages.fallback_langs("en_US") == ("en_US",)


def test_russian_under_another_code_is_found_by_its_short_code() -> None:
    languages = ContentLanguages(SETTINGS)
    languages.use([locale("en_US", 1), locale("ru_KZ", 2, short="ru")])
    assert languages.content_lang("ru") == "ru_KZ"
    assert languages.language_for_content("ru_KZ") == "ru"


def test_a_project_without_russian_shows_russian_speakers_the_main_language() -> None:
    languages = ContentLanguages(SETTINGS)
    languages.use([locale("en_US", 1), locale("de_DE", 2)])
    assert languages.content_lang("ru") == "en_US"


def test_a_main_language_the_project_lacks_gives_way_to_its_first_active_one() -> None:
    languages = ContentLanguages((("en", "en_GB"), ("ru", "ru_RU")))
    languages.use([locale("ru_RU", 2), locale("en_US", 1)])
    assert languages.default == "en_US"
    assert languages.content_lang("en") == "en_US" and languages.content_lang("ru") == "ru_RU"


def test_no_active_language_read_keeps_the_settings() -> None:
    languages = ContentLanguages(SETTINGS)
    languages.use([])
    assert languages.content_lang("ru") == "ru_RU" and languages.default == "en_US"
