"""Fixtures shared by the non-browser tests (helpers live in sitefactory.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import pytest
from sitefactory import TmpSite, make_site


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/golden/expected from a fresh build (review and commit the diff)",
    )


@pytest.fixture
def tmp_site(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Factory: tmp_site({"content/articles/a.md": "..."}, config={...})."""

    def factory(files: Mapping[str, str | bytes] | None = None, config: Mapping[str, Any] | None = None) -> TmpSite:
        return make_site(tmp_path, files, config)

    return factory
