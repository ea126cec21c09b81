"""Shared fixtures live in tests/fixtures/, one module per stand-in."""

pytest_plugins = [
    "tests.fixtures.oneentry",
    "tests.fixtures.telegram",
    "tests.fixtures.bot",
    "tests.fixtures.store",
]
