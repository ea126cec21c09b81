"""A local emulator of the OneEntry Content API, playing shops described as data."""

from sandbox.oneentry.app import create_app
from sandbox.oneentry.behaviours import Behaviours
from sandbox.oneentry.faults import Fault
from sandbox.oneentry.request_log import RequestRecord
from sandbox.oneentry.running import RunningEmulator, serve_emulator
from sandbox.oneentry.seed import SeedError, load_seed
from sandbox.oneentry.shop import ShopDefinition, ShopDefinitionError, load_shop, shop_names
from sandbox.oneentry.state import EmulatorState

__all__ = [
    "Behaviours",
    "EmulatorState",
    "Fault",
    "RequestRecord",
    "RunningEmulator",
    "SeedError",
    "ShopDefinition",
    "ShopDefinitionError",
    "create_app",
    "load_seed",
    "load_shop",
    "serve_emulator",
    "shop_names",
]
