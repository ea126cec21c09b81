"""Language handling: the seed keeps lang-keyed maps; responses carry the requested language.

OneEntry answers with flat `localizeInfos` for the requested `langCode`, falling back to the
project's default language, which is what the SDK's own normalisation produces as well.
"""

from __future__ import annotations

from typing import Any

DEFAULT_LANG = "en_US"


def pick(localized: dict[str, Any], lang: str | None, fallback: str = DEFAULT_LANG) -> Any:
    """The value for `lang`, else the fallback language's, else the first one, else `{}`."""
    if lang and lang in localized:
        return localized[lang]
    if fallback in localized:
        return localized[fallback]
    return next(iter(localized.values()), {})


def lang_of(query: Any) -> str:
    """The `langCode` query parameter, or the default language when absent or empty."""
    return query.get("langCode") or DEFAULT_LANG
