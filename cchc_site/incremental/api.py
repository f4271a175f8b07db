"""The one door from the pipeline's stages into the incremental machinery.

Stages (content, render) that take part in incremental builds import what
they need from here and nowhere else in this package: the cache they are
handed (`Cache`, used only through get/put/file_hash/vouch), the digest that
keys its records, the codecs of the records they store, and `View`, through
which templates' reads are recorded for the page cache. Everything else in
`incremental` is the machinery behind these names; a test
(tests/test_architecture.py) keeps the stages on this side of the door.
"""

from cchc_site.incremental.cache import Cache
from cchc_site.incremental.fingerprint import View, digest
from cchc_site.incremental.records import RenderedBody, decode_body, decode_parsed, encode_body, encode_parsed

__all__ = ["Cache", "RenderedBody", "View", "decode_body", "decode_parsed", "digest", "encode_body", "encode_parsed"]
