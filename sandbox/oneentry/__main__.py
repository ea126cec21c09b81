"""`python -m sandbox.oneentry --shop NAME|PATH`: serve the emulator playing a shop, and print
the `.env` lines a bot needs for it."""

from __future__ import annotations

import argparse
import sys

from sandbox.oneentry.app import create_app
from sandbox.oneentry.shop import DEFAULT_SHOP, ShopDefinitionError, shop_names
from sandbox.oneentry.state import EmulatorState
from sandbox.serving import run_forever


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m sandbox.oneentry", description="A local OneEntry Content API emulator."
    )
    parser.add_argument(
        "--port", type=int, default=8765, help="port to listen on; 0 picks a free one"
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    shop = parser.add_mutually_exclusive_group()
    shop.add_argument(
        "--shop",
        default=None,
        metavar="NAME|PATH",
        help=f"a bundled shop ({', '.join(shop_names())}) or a shop definition file "
        f"(default: {DEFAULT_SHOP})",
    )
    shop.add_argument("--seed", default=None, metavar="FILE", help="the same as --shop FILE")
    parser.add_argument(
        "--access-token-ttl",
        type=float,
        default=3600.0,
        metavar="SECONDS",
        help="access token lifetime",
    )
    return parser


def banner_lines(state: EmulatorState, url: str) -> list[str]:
    """The `.env` lines for the bot, then a comment saying what runs."""
    lines = [f"{key}={value}" for key, value in state.bot_settings(url).items()]
    return [
        *lines,
        f"# OneEntry emulator playing '{state.shop.name}' ({state.shop.source}); paste the "
        "lines above into .env. Ctrl-C stops it.",
    ]


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.access_token_ttl <= 0:
        print("--access-token-ttl must be a positive number of seconds", file=sys.stderr)
        return 2
    try:
        if args.seed is not None:
            state = EmulatorState.from_seed(args.seed, access_token_ttl=args.access_token_ttl)
        else:
            state = EmulatorState.from_shop(args.shop, access_token_ttl=args.access_token_ttl)
    except ShopDefinitionError as exc:
        print(exc, file=sys.stderr)
        return 2

    def banner(url: str) -> str:
        state.project_url = url
        return "\n".join(banner_lines(state, url))

    run_forever(create_app(state), args.host, args.port, banner)
    return 0


if __name__ == "__main__":
    sys.exit(main())
