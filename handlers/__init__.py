"""Commands and buttons outside conversations: menu, catalog, my orders, admin, errors,
notifications."""
