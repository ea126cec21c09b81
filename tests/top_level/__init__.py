"""Tests of the modules at the project's top level: settings.py (SHOP_TIMEZONE among its
settings) and bot.py's command line."""
