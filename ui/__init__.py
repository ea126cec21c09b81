"""What every Telegram-facing module stands on: the typed context, screens and sending,
keyboards, formatting, callback data, command menus and the admin gate. `ui/views/` renders."""
