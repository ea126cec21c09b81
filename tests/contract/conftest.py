"""The pinned SDK, installed once per session; every test here is skipped without Node.js."""

from __future__ import annotations

import pytest

from tests.contract.sdk_runner import SdkInstallError, ensure_sdk_installed, missing_tools


@pytest.fixture(scope="session")
def sdk_installed() -> None:
    """Skip when node or npm is absent; otherwise make sure js/node_modules matches the lock."""
    reason = missing_tools()
    if reason:
        pytest.skip(reason)
    try:
        ensure_sdk_installed()
    except SdkInstallError as error:
        pytest.fail(str(error), pytrace=False)
