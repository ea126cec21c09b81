"""The names of the one-shop days, kept so older callers keep working.

The "seed" is now a shop definition (`shop.py`); the demo shop is the tea shop,
`shops/tea.json`. `load_seed(path)` is `load_shop(path)` with the tea shop as default.
"""

from __future__ import annotations

from pathlib import Path

from sandbox.oneentry.shop import SHOPS_DIR, ShopDefinition, ShopDefinitionError, load_shop

DEFAULT_SEED_PATH = SHOPS_DIR / "tea.json"
Seed = ShopDefinition
SeedError = ShopDefinitionError


def load_seed(path: str | Path | None = None) -> ShopDefinition:
    """Read and check a shop definition file (the tea shop when `path` is None)."""
    return load_shop(Path(path) if path is not None else DEFAULT_SEED_PATH)
