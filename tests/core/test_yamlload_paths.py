"""libyaml's loader (the fast path) and PyYAML's pure-Python one give the same
data and the same positions, on the benchmark corpus and the sample site."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from sitefactory import REPO

from cchc_site.core import yamlload

pytestmark = pytest.mark.skipif(not hasattr(yamlload.yaml, "CSafeLoader"), reason="PyYAML built without libyaml")


def _front_matters(root: Path) -> list[str]:
    out = []
    for path in sorted(root.rglob("*.md")):
        parts = path.read_text("utf-8").split("---\n", 2)
        if len(parts) == 3:
            out.append(parts[1])
    return out


def test_both_loaders_agree_on_the_benchmark_corpus_and_the_sample_site(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("bench_corpus_yaml", REPO / "bench" / "corpus.py")
    assert spec and spec.loader
    corpus = importlib.util.module_from_spec(spec)
    sys.modules["bench_corpus_yaml"] = corpus
    spec.loader.exec_module(corpus)
    corpus.generate(200, tmp_path)
    texts = _front_matters(tmp_path / "content") + _front_matters(REPO / "content")
    assert len(texts) > 200
    for text in texts:
        assert yamlload._fast_enough(text)
        assert yamlload._load(yamlload._CLoader, text, 1) == yamlload._load(yamlload._Loader, text, 1), text
