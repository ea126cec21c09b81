"""The throwaway PostgreSQL server the tests and the benchmark start: where there is none,
the PostgreSQL tests say which package to install, and CI (REQUIRE_POSTGRES=1) fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox import postgres_server
from tests.fixtures.store import require_binaries


@pytest.fixture
def no_binaries(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(postgres_server, "SEARCHED", (str(tmp_path / "nowhere" / "*"),))
    monkeypatch.setenv("PATH", str(tmp_path))


@pytest.mark.usefixtures("no_binaries")
def test_without_the_binaries_the_message_names_the_package() -> None:
    with pytest.raises(postgres_server.PostgresUnavailable, match="postgresql-15"):
        postgres_server.find_binaries()


@pytest.mark.usefixtures("no_binaries")
def test_without_the_binaries_the_tests_are_skipped_unless_ci_requires_them() -> None:
    with pytest.raises(pytest.skip.Exception, match="apt-get install postgresql-15"):
        require_binaries({})
    with pytest.raises(pytest.fail.Exception, match="REQUIRE_POSTGRES=1"):
        require_binaries({"REQUIRE_POSTGRES": "1"})


def test_ci_requires_the_postgresql_tests() -> None:
    script = (Path(__file__).resolve().parents[2] / ".ci" / "run").read_text()
    assert "REQUIRE_POSTGRES=1" in script
