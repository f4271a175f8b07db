"""The search index updated from the previous build's equals the one built anew."""
from __future__ import annotations

import random
from dataclasses import replace

import pytest

from cchc_site.search_index import SearchDoc, body_terms, build_index
from cchc_site.search_state import build

WORDS = ("cải cách hành chính một cửa liên thông dịch vụ công trực tuyến đăng ký khai sinh hộ tịch "
         "ubnd tỉnh hà tĩnh cà mau 493 kh quyết định thủ tục đất đai xây dựng").split()


def doc(rng: random.Random, i: int, precomputed: bool) -> SearchDoc:
    body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 40)))
    d = SearchDoc(kind="article", title=f"Tin {i} {rng.choice(WORDS)}", url=f"tin-tuc/t{i}/index.html",
                  province_slug="ha-tinh", province_label=rng.choice(["Hà Tĩnh", "Cà Mau"]),
                  summary=rng.choice(["", "Tóm tắt " + rng.choice(WORDS)]), body_text=body,
                  extra_terms=(f"{i}/KH-UBND",) if i % 7 == 0 else ())
    if precomputed:
        terms, length = body_terms(body)
        d = replace(d, body_text=body[:20], body_terms=terms, body_length=length)
    return d


@pytest.mark.parametrize("precomputed", [True, False])
@pytest.mark.parametrize("seed", range(4))
def test_updated_index_equals_a_full_one(seed: int, precomputed: bool) -> None:
    rng = random.Random(seed)
    docs = [doc(rng, i, precomputed) for i in range(120)]  # dense (bitmap) lists from 60 documents
    index, state = build(docs)
    assert index == build_index(docs)
    for _ in range(5):
        for i in rng.sample(range(len(docs)), rng.randint(1, 5)):
            docs[i] = doc(rng, i, precomputed)
        docs[3] = replace(docs[3], title="Từmới" + str(rng.random()), body_text="", body_terms=None)  # new term
        index, state = build(docs, state)
        assert index == build_index(docs)


def test_unusable_or_mismatched_state_builds_in_full() -> None:
    rng = random.Random(9)
    docs = [doc(rng, i, True) for i in range(30)]
    _, state = build(docs)
    for previous in (None, {}, {"version": -1}, "x", {**state, "sigs": state["sigs"][:-1]},
                     {**state, "forward": [[] for _ in range(4)]}):
        docs[5] = doc(rng, 5, True)
        assert build(docs, previous)[0] == build_index(docs)
    assert build(docs[1:], state)[0] == build_index(docs[1:])  # a document fewer: order changed
