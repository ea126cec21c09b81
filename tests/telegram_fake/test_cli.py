"""`python -m sandbox.telegram` serves the fake and prints the line for `.env`."""

from __future__ import annotations

import asyncio
import sys

import httpx


async def test_the_command_line_server_prints_its_url_and_serves():
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "sandbox.telegram",
        "--port",
        "0",
        "--bot-username",
        "demo_shop_bot",
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        line = (await asyncio.wait_for(process.stdout.readline(), 20)).decode().strip()
        name, _, url = line.partition("=")
        assert name == "TELEGRAM_API_BASE_URL" and url.startswith("http://127.0.0.1:")
        async with httpx.AsyncClient() as http:
            me = (await http.post(f"{url}/bot42:demo/getMe")).json()["result"]
        assert (me["id"], me["username"]) == (42, "demo_shop_bot")
    finally:
        process.terminate()
        await process.wait()
