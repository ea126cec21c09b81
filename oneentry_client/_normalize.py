"""Client-side response normalisation, as the official SDK's `_normalizeData` does it."""

from __future__ import annotations

from typing import Any

__all__ = ["unwrap_language"]


def unwrap_language(data: Any, lang: str) -> Any:
    """Replace every object that has `lang` as a key with the value under that key.

    `{"localizeInfos": {"en_US": {"title": "Cash"}}}` becomes
    `{"localizeInfos": {"title": "Cash"}}`, and a lang-keyed `formData` map becomes its list.
    Everything else is walked unchanged.
    """
    if isinstance(data, list):
        return [unwrap_language(item, lang) for item in data]
    if isinstance(data, dict):
        result: dict[str, Any] = {}
        for key, value in data.items():
            if isinstance(value, dict) and lang in value:
                result[key] = unwrap_language(value[lang], lang)
            else:
                result[key] = unwrap_language(value, lang)
        return result
    return data
