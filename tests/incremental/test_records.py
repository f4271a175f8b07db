"""Cache records (records.py): what a rebuild reads of every cached body is small;
the rest is decoded when first asked for, and equals what was stored."""

from __future__ import annotations

import marshal
from datetime import datetime, timedelta, timezone

import pytest

from cchc_site.content.frontmatter import FrontMatter
from cchc_site.core.diagnostics import Diagnostic
from cchc_site.core.model import Body, Heading, SourceLink
from cchc_site.core.yamlload import Located
from cchc_site.domain.vietnamese import VIETNAM_TZ
from cchc_site.incremental.records import RenderedBody, decode_body, decode_parsed, encode_body, encode_parsed
from cchc_site.render.search_index import body_terms


def rendered() -> RenderedBody:
    terms, length = body_terms("Ủy ban nhân dân tỉnh Cà Mau đẩy mạnh cải cách hành chính")
    body = Body(
        '<h2 id="a">Ủy ban</h2><p>x</p>', "Ủy ban nhân dân", (Heading(2, "Ủy ban", "a"),), ("tin-tuc/b/index.html",)
    )
    return RenderedBody(body, (), (("/c/b.md", "tin-tuc/b/index.html"), ("/c/z.md", None)), terms, length)


def test_a_body_survives_the_record_and_is_decoded_only_when_read() -> None:
    original = rendered()
    record = marshal.loads(marshal.dumps(encode_body(original)))  # as the store gives it back
    body = decode_body(record)
    assert body is not None
    tail = body.body._tail  # type: ignore[attr-defined]
    assert tail._value is None  # nothing decoded yet: look-ups and digest only
    assert body.lookups == original.lookups and body.length == original.length
    assert body.terms.digest == original.terms.digest
    assert tail._value is None
    assert body.body == original.body and body.body.html == original.body.html
    assert body.terms == original.terms and list(body.terms.items()) == list(original.terms.items())


def test_records_that_are_not_bodies_decode_to_none() -> None:
    good = encode_body(rendered())
    for bad in (None, (), "x", good[:-1], (*good[:-1], b""), (*good[:-1], "str"), ("x", *good[1:])):
        assert decode_body(bad) is None


@pytest.mark.parametrize(
    "zone", [VIETNAM_TZ, timezone.utc, timezone(timedelta(hours=7)), timezone(timedelta(hours=-3, minutes=-30), "X")]
)
def test_front_matter_survives_the_record(zone: timezone) -> None:
    plain = {
        "title": "Tên",
        "date": datetime(2020, 1, 2, 3, 4, 5, 6, tzinfo=zone),
        "tags": ("a", "b"),
        "level": 3,
        "plan": None,
        "draft": True,
    }
    other = {**plain, "source": SourceLink("Báo", "https://x.vn")}  # not marshal-able: pickled
    for fields, diags, marshalled in (
        (plain, [], True),
        (other, [], False),
        (plain, [Diagnostic("a.md", 1, 2, "x")], False),
    ):
        front = FrontMatter("article", fields, {("title",): Located(1, 2, 3, 4)}, "the body", 7)
        record = marshal.loads(marshal.dumps(encode_parsed(front, diags, "slug")))
        assert isinstance(record[0], tuple) is marshalled
        decoded = decode_parsed(record)
        assert decoded is not None
        again, got_diags, slug = decoded
        assert (again.kind, again.fields, again.body, again.body_line, slug) == ("article", fields, "", 7, "slug")
        assert repr(again.fields["date"]) == repr(fields["date"]) and got_diags == diags
        assert again.line_of("title") == (3, 4)


def test_front_matter_records_that_do_not_decode_give_none() -> None:
    front = FrontMatter("article", {"title": "x"}, {}, "", 3)
    (kind, fields, positions, line), slug = encode_parsed(front, [], "s")
    for bad in (
        (("article", fields, positions, "3"), slug),
        ((kind, (("a", "b"), ("x",), ()), positions, line), slug),
        ((kind, fields, positions), slug),
        (b"not a pickle", slug),
        None,
    ):
        assert decode_parsed(bad) is None


def test_equal_access_sets_of_pages_are_saved_as_one_object(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from cchc_site.incremental.cache import Cache

    cache = Cache(tmp_path, "env")
    for i in range(3):
        cache.put(
            "pages", f"p{i}/index.html", ("key", frozenset({("site", "pages"), ("site", "updated")}), "d", 1, "s")
        )
    cache.put("pages", "odd/index.html", ("key", ["unhashable"], "d", 1, "s"))  # never a crash
    cache.save()
    again = Cache(tmp_path, "env")
    first, second = again.get("pages", "p0/index.html"), again.get("pages", "p2/index.html")
    assert first == ("key", frozenset({("site", "pages"), ("site", "updated")}), "d", 1, "s")
    assert first[1] is second[1] and again.get("pages", "odd/index.html")[1] == ["unhashable"]


def test_a_body_record_in_the_store_keeps_its_blob_uncopied_and_survives_a_second_save(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from cchc_site.incremental.cache import Cache

    original = rendered()
    key = ("sha", "a.md", "tin-tuc/a/index.html")
    cache = Cache(tmp_path, "env")
    cache.put("bodies", key, encode_body(original))
    cache.save()
    for _ in range(2):  # the second time, the record read is kept as it is
        cache = Cache(tmp_path, "env")
        record = cache.get("bodies", key)
        assert isinstance(record[-1], memoryview)  # a view of the store file, not a copy
        body = decode_body(record)
        assert body is not None and body.body == original.body and body.terms == original.terms
        cache.put("bodies", key, record)
        cache.save()


def test_a_blob_record_whose_length_does_not_fit_is_a_miss(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from cchc_site.incremental.store import StoreReader, write

    for length in (0, 10_000, "x"):
        folder = tmp_path / str(length)
        folder.mkdir()
        name, refs = write(folder, StoreReader(None), [], [])
        data = marshal.dumps(("k", ("head",), length)) + b"blob"
        (folder / name).write_bytes((folder / name).read_bytes() + data)
        import zlib

        from cchc_site.incremental.store import MAGIC

        assert StoreReader(folder / name).get("k", (len(MAGIC), len(data), zlib.crc32(data))) is None
