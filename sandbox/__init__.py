"""Local stand-ins for the two services the bot talks to: a OneEntry emulator and a Telegram Bot
API fake, plus the demo chat. Product code, not test code, and independent of the bot: nothing
here imports the bot's packages, so the two sides of the wire never share a bug."""
