"""`python -m sandbox.telegram --port N`: serve the fake Telegram Bot API on 127.0.0.1 and print
the line to put in `.env`."""

from __future__ import annotations

import argparse

from sandbox.serving import run_forever
from sandbox.telegram.app import create_app
from sandbox.telegram.state import FakeState


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m sandbox.telegram", description="A local fake Telegram Bot API server."
    )
    parser.add_argument("--port", type=int, default=0, help="port to listen on (0: a free one)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument(
        "--bot-username", default="oneentry_shop_bot", help="the username getMe reports"
    )
    parser.add_argument(
        "--flood-control",
        action="store_true",
        help="answer 429 past 30 messages a second overall or 20 a minute in one group",
    )
    args = parser.parse_args(argv)
    state = FakeState(bot_username=args.bot_username, flood_control=args.flood_control)
    app = create_app(state)
    run_forever(app, args.host, args.port, banner=lambda url: f"TELEGRAM_API_BASE_URL={url}")


if __name__ == "__main__":
    main()
