"""Message catalogs (English and Russian)."""

from locales.translations import DEFAULT_LANGUAGE, LANGUAGES, Texts, catalog_path, language_for

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "Texts", "catalog_path", "language_for"]
