"""Cache records (records.py): what a rebuild reads of every cached body is small;
the rest is decoded when first asked for, and equals what was stored."""
from __future__ import annotations

import marshal

from cchc_site.model import Body, Heading
from cchc_site.records import RenderedBody, decode_body, encode_body
from cchc_site.search_index import body_terms


def rendered() -> RenderedBody:
    terms, length = body_terms("Ủy ban nhân dân tỉnh Cà Mau đẩy mạnh cải cách hành chính")
    body = Body("<h2 id=\"a\">Ủy ban</h2><p>x</p>", "Ủy ban nhân dân", (Heading(2, "Ủy ban", "a"),),
                ("tin-tuc/b/index.html",))
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
