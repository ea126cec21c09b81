"""A local emulator of the OneEntry Content API with a seeded demo shop."""

from sandbox.oneentry.app import create_app
from sandbox.oneentry.faults import Fault
from sandbox.oneentry.request_log import RequestRecord
from sandbox.oneentry.running import RunningEmulator, serve_emulator
from sandbox.oneentry.seed import SeedError, load_seed
from sandbox.oneentry.state import EmulatorState

__all__ = [
    "EmulatorState",
    "Fault",
    "RequestRecord",
    "RunningEmulator",
    "SeedError",
    "create_app",
    "load_seed",
    "serve_emulator",
]
