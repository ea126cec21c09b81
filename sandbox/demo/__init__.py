"""The terminal demo: the OneEntry emulator, the Telegram fake and the real bot in one process,
and a chat where a person plays the customer (and an admin)."""

from sandbox.demo.main import run_demo

__all__ = ["run_demo"]
