"""Message catalogs (English and Russian)."""
