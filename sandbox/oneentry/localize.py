"""Language handling: definitions keep lang-keyed maps; responses carry the requested language.

OneEntry answers with flat `localizeInfos` for the requested `langCode` and does NOT fall back
to another language: content missing in that language comes back empty (`{}`), and the client
must fall back itself (reference, "Cautions from a second audit"). A request without
`langCode` gets the project's default language (its first active locale).
"""

from __future__ import annotations

from typing import Any


def pick(localized: dict[str, Any], lang: str | None) -> Any:
    """The value for `lang`, or `{}` when that language has none. Never another language's."""
    if lang and lang in localized:
        return localized[lang]
    return {}


def lang_of(query: Any, default: str) -> str:
    """The `langCode` query parameter, or `default` when absent or empty."""
    return query.get("langCode") or default
