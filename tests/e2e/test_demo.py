"""The demo works as a newcomer runs it: `python bot.py demo --script` replays the full order
(catalog, cart, checkout, Stripe payment through the emulator's payment page) and prints each
step; the interactive chat ends cleanly at the end of input.

The payment follow-up's "paid" notification arrives after the payment page (the demo's
follow-up looks every fraction of a second)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FULL_ORDER = ROOT / "sandbox" / "demo" / "scripts" / "full_order.txt"


async def run_demo(*args: str, stdin: bytes | None = None) -> tuple[int, str]:
    """`python bot.py demo ...` from an empty directory (no .env) with no bot settings set."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "ONEENTRY_"))}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "bot.py"),
        "demo",
        *args,
        cwd=ROOT / "sandbox" / "demo",
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(stdin), 45)
    assert process.returncode is not None
    return process.returncode, output.decode()


def in_order(transcript: str, steps: list[str]) -> None:
    position = 0
    for step in steps:
        found = transcript.find(step, position)
        assert found >= 0, f"{step!r} missing (after position {position}):\n{transcript}"
        position = found + len(step)


async def test_scripted_full_order_shows_every_step() -> None:
    code, transcript = await run_demo("--script", str(FULL_ORDER))
    assert code == 0, transcript
    in_order(
        transcript,
        [
            "you › /start",
            "Hello, Alice!",
            "[1] 🛍 Catalog",
            "you › Catalog",
            "Green tea Sencha · $12.50",
            "you › Add to cart",
            "In your cart: 1",
            "you › /cart",
            "Green tea Sencha × 1 — $12.50",
            "you › Checkout",
            "What is your name?",
            "you › /contact",
            "What is your email?",
            "you › alice@example.com",
            "you › Card (Stripe)",
            "Phone: +79123456789",
            "Email: alice@example.com",
            "Payment: Card (Stripe)",
            "you › Confirm",
            "Your order is placed.",
            "Order #1001",
            "you › Pay",
            "🔗 http://127.0.0.1:",
            "/pay/",
            "payment page › Payment received",
            "you › /wait is paid",
            "Order #1001 is paid. Thank you!",
            "you › /orders",
            "Order #1001",
            "── you are now the admin, Sam ──",
            "Hello, Sam!",
        ],
    )


async def test_a_script_line_that_cannot_be_done_fails_the_replay(tmp_path: Path) -> None:
    script = tmp_path / "broken.txt"
    script.write_text("/start\n/pay\n")
    code, transcript = await run_demo("--script", str(script))
    assert code == 1
    assert "demo › line 2: no payment link is open" in transcript


async def test_interactive_chat_ends_cleanly_at_end_of_input() -> None:
    code, transcript = await run_demo(stdin=b"/start\n7\n?\n/as nobody\n")
    assert code == 0, transcript
    in_order(transcript, ["Hello, Alice!", "/as admin | /as customer", "bye"])
    assert "/as needs one of: customer, admin" in transcript
