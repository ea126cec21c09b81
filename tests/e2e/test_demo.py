"""The demo works as a newcomer runs it: `python bot.py demo --script` replays the full order
(catalog, cart, checkout, Stripe payment through the emulator's payment page) and prints each
step; it shows the answers to taps (toasts and alerts), lets any message's buttons be tapped
and a photo, a sticker or someone else's contact be sent; the interactive chat prompts
`you ›` and ends cleanly at the end of input and on Ctrl-C.

The payment follow-up's "paid" notification arrives after the payment page (the demo's
follow-up looks every fraction of a second)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

from sandbox.demo.chat import DemoChat
from sandbox.demo.world import demo_world
from ui.callback_data import ADD_TO_CART

ROOT = Path(__file__).resolve().parents[2]
FULL_ORDER = ROOT / "sandbox" / "demo" / "scripts" / "full_order.txt"


def demo_env() -> dict[str, str]:
    """This process's environment with no bot settings in it."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "ONEENTRY_"))}


async def run_demo(*args: str, stdin: bytes | None = None) -> tuple[int, str]:
    """`python bot.py demo ...` from an empty directory (no .env) with no bot settings set."""
    env = demo_env()
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
            "Phone: +79123456789",
            "Email: alice@example.com",
            "✅ Card (Stripe)",
            "you › Card (Stripe)",
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
    in_order(
        transcript,
        ["Say /start.", "you › ", "Hello, Alice!", "you › ", "/as admin | /as customer", "bye"],
    )
    assert "/as needs one of: customer, admin" in transcript
    assert "Traceback" not in transcript
    assert transcript.rstrip().endswith("\nbye")


async def test_a_script_shows_tap_answers_any_messages_buttons_and_media(tmp_path: Path) -> None:
    script = tmp_path / "tour.txt"
    script.write_text(
        "/start\n/help\n/tap 2 Catalog\n/tap 2 Green tea\nAdd to cart\n/photo my tea\n"
        "/checkout\n/sticker\nAlice\n/contact +79001112233 Bob\n/wait Payment\n"
    )
    code, transcript = await run_demo("--script", str(script))
    assert code == 1, transcript
    in_order(
        transcript,
        [
            "you › /start",
            "bot #2 › Hello, Alice!",
            "you › /help",
            "/forget",
            "you › /tap 2 Catalog",
            "bot #2 ✎ Catalog",  # the first message, edited, its buttons listed for /tap
            "(/tap 2 …) [1] 📂 Tea",
            "Green tea Sencha · $12.50",
            "you › /tap 2 Green tea",
            "[photo] Green tea Sencha",
            "you › Add to cart",
            "toast › Added. In your cart: 1",
            "In your cart: 1",
            "you › /photo my tea",
            "I read text only",
            "you › /sticker",
            "Please send “Name” as a text message.",
            "you › Alice",
            "What is your phone number?",
            "you › /contact +79001112233 Bob",
            "That is someone else's contact.",
            "you › /wait Payment",
        ],
    )
    # The wait that timed out says so in one line, and ends the replay.
    last = transcript.rstrip().splitlines()[-1]
    assert last == "demo › line 11: no message containing 'Payment' arrived within 15 s"


async def test_an_alert_is_printed_as_one() -> None:
    """A tap the bot answers with an alert (an Add to cart of a product now out of stock,
    from a message still in the chat): the demo prints it as an alert."""
    printed: list[str] = []
    async with demo_world() as world:
        chat = DemoChat(world, printed.append)
        await chat.handle("/start")
        await world.customer.forge_tap(f"{ADD_TO_CART}:5:1:0:0")  # product 5, 1, catalog page 0
        await chat.after_action(tapped=True)
    assert "alert › Sorry, this product cannot be ordered right now." in printed


async def test_ctrl_c_ends_the_interactive_chat_cleanly() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "bot.py"),
        "demo",
        cwd=ROOT / "sandbox" / "demo",
        env=demo_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        process.stdin.write(b"/start\n")
        await process.stdin.drain()
        seen = b""
        while b"Hello, Alice!" not in seen:
            chunk = await asyncio.wait_for(process.stdout.read(4096), 30)
            assert chunk, seen.decode()
            seen += chunk
        process.send_signal(signal.SIGINT)
        rest, _ = await asyncio.wait_for(process.communicate(), 30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    transcript = (seen + rest).decode()
    assert process.returncode == 0, transcript
    assert "Traceback" not in transcript
    assert transcript.rstrip().endswith("\nbye")
