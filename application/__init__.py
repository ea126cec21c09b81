"""How the bot's python-telegram-bot Application is put together: the builder, the typed
context handlers receive, and the per-chat update processor."""
