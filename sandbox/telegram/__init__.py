"""A local Telegram Bot API server faithful enough to catch what real Telegram would reject,
and a customer driver that plays the people chatting with the bot."""
