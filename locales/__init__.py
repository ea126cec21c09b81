"""Message catalogs (English and Russian)."""

from locales.translations import DEFAULT_LANGUAGE, LANGUAGES, Texts, catalog_paths, language_for

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "Texts", "catalog_paths", "language_for"]
