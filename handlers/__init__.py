"""Commands and buttons outside conversations, as thin callbacks and their handler lists:
menu, catalog, cart, my orders, staff, errors."""
