"""The search data updated from the previous build's equals the one built anew."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from cchc_site.incremental.search_postings import decode_list, edit_list
from cchc_site.incremental.search_state import build as build_bytes
from cchc_site.incremental.search_state import search_data, signature
from cchc_site.render.search_index import SearchDoc, body_terms, build_search_data, dense, encode_postings


def build(*args):  # type: ignore[no-untyped-def]
    """search_state.build with the script as text, to compare with build_search_data."""
    script, state = build_bytes(*args)
    return script.decode("utf-8"), state


WORDS = (
    "cải cách hành chính một cửa liên thông dịch vụ công trực tuyến đăng ký khai sinh hộ tịch "
    "ubnd tỉnh hà tĩnh cà mau 493 kh quyết định thủ tục đất đai xây dựng"
).split()
GLOSSARY = {"UBND": "Ủy ban nhân dân"}
PROVINCES = [("ha-tinh", "Hà Tĩnh"), ("ca-mau", "Cà Mau"), ("ha-noi", "Hà Nội")]


def doc(rng: random.Random, i: int, precomputed: bool) -> SearchDoc:
    body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 40)))
    if i % 11 == 0 and rng.random() < 0.5:
        body += " ubnd" * rng.choice([255, 256, 300])  # frequencies that need more than a byte
    slug, label = rng.choice(PROVINCES[:2])
    d = SearchDoc(
        kind="article",
        title=f"Tin {i} {rng.choice(WORDS)}",
        url=f"tin-tuc/t{i}/index.html",
        province_slug=slug,
        province_label=label,
        date_iso=f"2024-01-{1 + i % 28:02d}",
        summary=rng.choice(["", "Tóm tắt " + rng.choice(WORDS)]),
        body_text=body,
        extra_terms=(f"{i}/KH-UBND",) if i % 7 == 0 else (),
        also_provinces=(("ha-noi", "Hà Nội"),) if i % 5 == 0 else (),
    )
    if precomputed:
        terms, length = body_terms(body)
        d = replace(d, body_text=body[:20], body_terms=terms, body_length=length)
    return d


def ids_of(docs: list[SearchDoc]) -> list[str | None]:
    return [signature(d).hex() for d in docs]


@pytest.mark.parametrize("precomputed", [True, False])
@pytest.mark.parametrize("seed", range(4))
def test_updated_data_equals_a_full_build(seed: int, precomputed: bool) -> None:
    rng = random.Random(seed)
    docs = [doc(rng, i, precomputed) for i in range(120)]  # dense (bitmap) lists from 60 documents
    text, state = build(ids_of(docs), docs.__getitem__, GLOSSARY, PROVINCES)
    assert text == build_search_data(docs, GLOSSARY, PROVINCES)
    for _ in range(6):
        for i in rng.sample(range(len(docs)), rng.randint(1, 5)):
            docs[i] = doc(rng, i, precomputed)
        docs[3] = replace(docs[3], title="Từmới" + str(rng.random()), body_text="", body_terms=None)  # new term
        text, state = build(ids_of(docs), docs.__getitem__, GLOSSARY, PROVINCES, state)
        assert text == build_search_data(docs, GLOSSARY, PROVINCES)


def test_only_documents_whose_id_changed_are_made_again() -> None:
    rng = random.Random(3)
    docs = [doc(rng, i, True) for i in range(100)]
    ids: list[str | None] = [f"a/{i}/1" for i in range(100)]
    _, state = build(ids, docs.__getitem__, GLOSSARY, PROVINCES)
    made: list[int] = []

    def make(i: int) -> SearchDoc:
        made.append(i)
        return docs[i]

    docs[7] = replace(docs[7], province_slug="ca-mau", province_label="Cà Mau", title="Đổi tỉnh")
    ids[7] = "a/7/2"
    text, again = build(ids, make, GLOSSARY, PROVINCES, state)
    assert made == [7] and text == build_search_data(docs, GLOSSARY, PROVINCES)
    made.clear()
    same, kept = build(ids, make, GLOSSARY, PROVINCES, again)
    assert made == [] and kept is again and same == text  # nothing changed: the state is not rewritten
    ids[8] = None  # an unknown id is always made again
    build(ids, make, GLOSSARY, PROVINCES, again)
    assert made == [8]


def test_units_moving_or_a_common_term_becoming_rare_builds_in_full() -> None:
    rng = random.Random(5)
    docs = [doc(rng, i, True) for i in range(90)]
    docs = [replace(d, province_slug="ha-tinh", province_label="Hà Tĩnh", also_provinces=()) for d in docs]
    _, state = build(ids_of(docs), docs.__getitem__, GLOSSARY, PROVINCES)
    docs[4] = replace(docs[4], province_slug="ca-mau", province_label="Cà Mau")  # a unit no document named
    text, state = build(ids_of(docs), docs.__getitem__, GLOSSARY, PROVINCES, state)
    assert text == build_search_data(docs, GLOSSARY, PROVINCES)
    made: list[int] = []
    for step in range(0, 64, 4):  # "tin" (every title: "Tin <i> …") drops to a third: its bitmap must go
        for i in range(step, step + 4):
            docs[i] = replace(docs[i], title=f"Bài {i}")
        text, state = build(ids_of(docs), lambda i: made.append(i) or docs[i], GLOSSARY, PROVINCES, state)
        assert text == build_search_data(docs, GLOSSARY, PROVINCES)
    assert len(made) > 90  # built in full once, when the list could not be edited


def test_unusable_or_mismatched_state_builds_in_full() -> None:
    rng = random.Random(9)
    docs = [doc(rng, i, True) for i in range(30)]
    _, state = build(ids_of(docs), docs.__getitem__, GLOSSARY, PROVINCES)
    for previous in (
        None,
        {},
        {"version": -1},
        "x",
        {**state, "ids": state["ids"][:-1]},
        {**state, "forward": [[] for _ in range(4)]},
        {**state, "encoded": "nonsense"},
        {**state, "tfs": [[b"\x01\x02\x03"] * 30] * 4},
        {**state, "rows": [1] * 30},
    ):
        docs[5] = doc(rng, 5, True)
        assert build(ids_of(docs), docs.__getitem__, GLOSSARY, PROVINCES, previous)[0] == build_search_data(
            docs, GLOSSARY, PROVINCES
        )
    shorter = docs[1:]
    assert build(ids_of(shorter), shorter.__getitem__, GLOSSARY, PROVINCES, state)[0] == build_search_data(
        shorter, GLOSSARY, PROVINCES
    )


def test_search_data_of_documents_equals_build_search_data() -> None:
    rng = random.Random(11)
    docs = [doc(rng, i, False) for i in range(40)]
    docs[2] = replace(docs[2], title="Dòng\u2028mới\u2029", summary="a\u2028b")  # escaped in the script
    assert search_data(docs, GLOSSARY, None) == build_search_data(docs, GLOSSARY)


@pytest.mark.parametrize("seed", range(30))
def test_edited_posting_list_equals_one_encoded_anew(seed: int) -> None:
    rng = random.Random(seed)
    n = rng.choice([20, 61, 100, 300])
    share = rng.random()
    lists = {d: rng.choice([1, 1, 2, 5, 40]) for d in range(n) if rng.random() < share}
    flat = [x for d in sorted(lists) for x in (d, lists[d])]
    encoded = encode_postings(flat, n) if flat else ""
    if flat and not encoded.startswith("."):
        assert decode_list(encoded) == (sorted(lists), [lists[d] for d in sorted(lists)])
    changes = sorted({d: rng.choice([0, 0, 1, 3]) for d in rng.sample(range(n), rng.randint(1, 8))}.items())
    after = dict(lists)
    for d, tf in changes:
        if tf:
            after[d] = tf
        else:
            after.pop(d, None)
    flat_after = [x for d in sorted(after) for x in (d, after[d])]
    got = edit_list(encoded, changes, n)
    if encoded.startswith(".") and not dense(len(after), n):
        assert got is None  # the frequencies a bitmap dropped are needed
    else:
        assert got == (encode_postings(flat_after, n) if after else "")


def test_a_field_of_more_than_65536_terms_keeps_its_ids_in_4_bytes() -> None:
    from cchc_site.incremental.search_state import _Lexicon

    lexicon = _Lexicon([f"t{k}" for k in range(70_000)])
    small, wide = lexicon.ids(["t1", "t2"]), lexicon.ids(["t1", "t69999", "new"])
    assert small[:1] == b"H" and wide[:1] == b"I"
    assert lexicon.of(small) == ["t1", "t2"] and lexicon.of(wide) == ["t1", "t69999", "new"]
