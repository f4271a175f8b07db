"""Fixtures shared by the non-browser tests (helpers live in sitefactory.py)."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import pytest

from sitefactory import TmpSite, make_site


@pytest.fixture
def tmp_site(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Factory: tmp_site({"content/articles/a.md": "..."}, config={...})."""

    def factory(files: Mapping[str, str | bytes] | None = None, config: Mapping[str, Any] | None = None) -> TmpSite:
        return make_site(tmp_path, files, config)

    return factory
