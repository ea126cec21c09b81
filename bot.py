"""The entry point: `python bot.py run`.

Reads the settings once, builds the Application with `build_application` and runs it. Nothing
else lives here.
"""

from __future__ import annotations

import argparse
import logging
import sys

from application.builder import build_application
from settings import Settings, SettingsError, load_settings


def configure_logging(settings: Settings) -> None:
    """One line per event; libraries that would log URLs with the bot token stay quiet."""
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("httpx", "httpcore", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def run(settings: Settings) -> None:
    """Long polling until SIGINT/SIGTERM; persistence is flushed on the way out."""
    application = build_application(settings)
    application.run_polling(allowed_updates=["message", "callback_query", "my_chat_member"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python bot.py", description=__doc__)
    parser.add_argument("command", choices=["run"], help="run: the bot, configured by .env")
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as problem:
        print(problem, file=sys.stderr)
        return 2
    configure_logging(settings)
    if args.command == "run":
        run(settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
