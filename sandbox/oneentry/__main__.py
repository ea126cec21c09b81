"""`python -m sandbox.oneentry --port N`: serve the emulator and print `.env` lines to paste."""

from __future__ import annotations

import argparse
import sys

from sandbox.oneentry.app import create_app
from sandbox.oneentry.seed import SeedError
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
    parser.add_argument("--seed", default=None, help="seed JSON file (default: the demo shop)")
    parser.add_argument(
        "--access-token-ttl",
        type=float,
        default=3600.0,
        metavar="SECONDS",
        help="access token lifetime",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.access_token_ttl <= 0:
        print("--access-token-ttl must be a positive number of seconds", file=sys.stderr)
        return 2
    try:
        state = EmulatorState.from_seed(args.seed, access_token_ttl=args.access_token_ttl)
    except SeedError as exc:
        print(exc, file=sys.stderr)
        return 2

    def banner(url: str) -> str:
        return "\n".join(
            [
                f"ONEENTRY_PROJECT_URL={url}",
                f"ONEENTRY_APP_TOKEN={state.app_token}",
                f"ONEENTRY_GUEST_LOGIN={state.guest_login}",
                f"ONEENTRY_GUEST_PASSWORD={state.guest_password}",
                "# OneEntry emulator running; paste the lines above into .env. Ctrl-C stops it.",
            ]
        )

    run_forever(create_app(state), args.host, args.port, banner)
    return 0


if __name__ == "__main__":
    sys.exit(main())
