"""The entry point, a switchboard: `python bot.py run | demo | check | migrate`.

- run:     the real bot, configured by `.env` (long polling, or a webhook when WEBHOOK_URL is
           set); with DATABASE_URL, a standby while another process is active
- check:   checks the settings and the live Telegram/OneEntry setup and the store, prints
           what to fix
- demo:    the whole shop on this machine (both stand-ins and the bot) with a chat in the
           terminal
- migrate: moves an existing data directory (ledger, carts, an older pickle) into the store
           DATABASE_URL names
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from settings import SettingsError, load_settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python bot.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="run the bot, configured by .env")
    commands.add_parser("check", help="check the configuration and the live setup")
    demo = commands.add_parser("demo", help="try the whole bot locally in a terminal chat")
    demo.add_argument(
        "--script",
        type=Path,
        metavar="FILE",
        help="replay the chat commands in FILE (one per line) and print the transcript",
    )
    migrate = commands.add_parser(
        "migrate", help="move an existing data directory into the store DATABASE_URL names"
    )
    migrate.add_argument(
        "--from",
        dest="source",
        type=Path,
        metavar="DIR",
        help="the data directory to move (default: DATA_DIR)",
    )
    return parser


def run() -> int:
    try:
        settings = load_settings()
    except SettingsError as problem:
        print(problem, file=sys.stderr)
        return 2
    from application.logging_setup import configure_logging, secrets_of
    from application.running import run as run_bot

    configure_logging(settings.log_level, secrets_of(settings))
    return run_bot(settings)


def check() -> int:
    from application.logging_setup import configure_logging
    from application.setup_check import check_environment, exit_code, render_report

    configure_logging("CRITICAL")  # the table is the output; each error is in its row
    results = asyncio.run(check_environment())
    print(render_report(results))
    return exit_code(results)


def migrate(source: Path | None) -> int:
    try:
        settings = load_settings()
    except SettingsError as problem:
        print(problem, file=sys.stderr)
        return 2
    from application.builder import store_of
    from application.logging_setup import configure_logging, secrets_of
    from application.store_migration import MigrationRefused, migrate_data_dir

    configure_logging("WARNING", secrets_of(settings))
    try:
        report = asyncio.run(migrate_data_dir(source or settings.data_dir, store_of(settings)))
    except MigrationRefused as refused:
        print(f"Nothing was moved: {refused}.", file=sys.stderr)
        return 1
    print(report.render())
    return 0


def demo(script: Path | None) -> int:
    from sandbox.demo import run_demo

    return run_demo(script)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "run":
        return run()
    if args.command == "check":
        return check()
    if args.command == "migrate":
        return migrate(args.source)
    return demo(args.script)


if __name__ == "__main__":
    sys.exit(main())
