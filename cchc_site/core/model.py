"""Frozen types shared by every stage of the pipeline. No behaviour here (but a
Source's text, read when first asked for)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable, Literal, Union

ContentKind = Literal["article", "plan", "service", "page"]
KINDS: tuple[ContentKind, ...] = ("article", "plan", "service", "page")
# content/<folder>/**.md holds one kind
FOLDERS: dict[str, ContentKind] = {"articles": "article", "plans": "plan", "services": "service", "pages": "page"}

NATIONAL = "trung-uong"  # the `province` value for national content


class SourceChanged(Exception):
    """A file the cache vouched for (by its stat) no longer has the content it
    vouched for: it was edited during the build. The build reads it again."""


class Source:
    """One content file as read from disk (the only reader is sources.py).

    `text` is decoded, BOM stripped, newlines normalised to \n. When the build
    cache vouches for the file (its stat is unchanged), `text` is read only if
    asked for, and `sha` (of the text) comes from the cache."""

    __slots__ = ("path", "rel", "kind", "_text", "_sha", "_load")

    def __init__(
        self,
        path: Path,
        rel: str,
        kind: ContentKind,
        text: str | None = None,
        *,
        sha: str = "",
        load: Callable[[], object] | None = None,
    ) -> None:
        self.path = path  # absolute
        self.rel = rel  # path shown in messages: relative to the current directory when inside it
        self.kind = kind
        self._text = text
        self._sha = sha
        self._load = load

    @property
    def text(self) -> str:
        if self._text is None:
            text = self._load() if self._load is not None else None
            # a source not read yet (`unread`) takes what it reads; a vouched-for one must match
            if not isinstance(text, str) or (self._sha and _sha_of(text) != self._sha):
                raise SourceChanged(self.rel)
            self._text = text
        return self._text

    @property
    def sha(self) -> str:
        """SHA-256 of the text (the key of everything the cache holds for the file)."""
        if not self._sha:
            self._sha = _sha_of(self.text)
        return self._sha

    @property
    def vouched(self) -> bool:
        """Whether the text has not been read here but its hash is known (the cache
        vouched for it, or a worker read it)."""
        return self._text is None and bool(self._sha)

    @property
    def loaded(self) -> bool:
        """Whether the text is in memory here (asking for it costs nothing)."""
        return self._text is not None

    @property
    def unread(self) -> bool:
        """Not read yet and nothing known of it: a worker process reads it (content.py)."""
        return self._text is None and not self._sha

    def learned(self, sha: str) -> None:
        """The hash of the text a worker read: reading it here again must give the same."""
        self._sha = sha

    def reloaded(self) -> "Source | object":
        """This source read again, trusting nothing: a Source, or what the loader
        gave instead of text (a Diagnostic)."""
        if self._text is not None or self._load is None:
            return self
        text = self._load()
        return Source(self.path, self.rel, self.kind, text) if isinstance(text, str) else text

    def __repr__(self) -> str:
        return f"Source({self.rel!r}, {self.kind!r})"


def _sha_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class SourceLink:
    name: str
    url: str | None = None


@dataclass(frozen=True)
class Attachment:
    title: str
    file: str  # path below content/files, as written
    href_target: str  # output path of the copied file, e.g. "files/kh-493.pdf"


@dataclass(frozen=True)
class ChannelValue:
    """A processing time or fee, per channel of submission (None = all channels)."""

    channel: str | None  # "Trực tiếp" | "Trực tuyến" | "Bưu chính" | None
    value: str


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str


@dataclass(frozen=True)
class Body:
    """Rendered Markdown body."""

    html: str  # sanitised HTML; links to content files are already relative URLs (markdown.py)
    text: str  # plain text: the whole of it from render_markdown; entries keep its start (content.py)
    headings: tuple[Heading, ...] = ()
    links: tuple[str, ...] = ()  # output paths of content pages this body links to


class StoredBody(Body):
    """A Body from the build cache: its HTML stays UTF-8 bytes until read (most
    pages of a rebuild are not rendered again, and decoding every cached body
    cost a large part of a rebuild's time)."""

    def __init__(
        self, html_utf8: bytes, text: str, headings: tuple[Heading, ...] = (), links: tuple[str, ...] = ()
    ) -> None:
        object.__setattr__(self, "_html_utf8", html_utf8)
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "headings", headings)
        object.__setattr__(self, "links", links)

    @property
    def html(self) -> str:
        decoded: str | None = self.__dict__.get("_html")
        if decoded is None:
            decoded = self._html_utf8.decode("utf-8", "surrogatepass")  # type: ignore[attr-defined]  # or lazy
            object.__setattr__(self, "_html", decoded)
        return decoded

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Body):
            return NotImplemented
        return (self.html, self.text, self.headings, self.links) == (
            other.html,
            other.text,
            other.headings,
            other.links,
        )

    __hash__ = Body.__hash__


@dataclass(frozen=True)
class ImageInfo:
    """What Pillow read of an image under content/files/ (its header; pixels are not decoded)."""

    width: int  # as shown (EXIF orientation applied)
    height: int
    format: str  # Pillow's name: JPEG, PNG, WEBP, GIF
    alpha: bool
    size: int  # bytes
    sha: str  # SHA-256 of the file: variants are named and cached by it


@dataclass(frozen=True)
class Article:
    slug: str
    title: str
    date: datetime
    province: str  # unit slug (current, former, or NATIONAL)
    source_rel: str
    body: Body
    summary: str | None = None
    tags: tuple[str, ...] = ()
    plan: str | None = None  # slug of a plan
    source: SourceLink | None = None
    author: str | None = None
    image: str | None = None  # output path of the lead image ("files/anh/x.jpg")
    image_alt: str | None = None  # what the lead image shows, for screen readers
    draft: bool = False
    kind: ContentKind = "article"


@dataclass(frozen=True)
class Plan:
    slug: str
    title: str
    number: str  # số ký hiệu, e.g. 493/KH-UBND
    issued: datetime
    issuer: str
    province: str
    year: int
    source_rel: str
    body: Body
    summary: str | None = None
    tags: tuple[str, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    draft: bool = False
    kind: ContentKind = "plan"

    @property
    def date(self) -> datetime:
        return self.issued


@dataclass(frozen=True)
class Service:
    slug: str
    title: str
    level: int  # 3 (một phần) or 4 (toàn trình)
    field: str  # lĩnh vực
    agency: str  # cơ quan thực hiện
    portal_url: str
    source_rel: str
    body: Body
    code: str | None = None  # mã TTHC
    provinces: tuple[str, ...] | None = None  # unit slugs; None = all provinces
    processing_time: tuple[ChannelValue, ...] = ()
    fee: tuple[ChannelValue, ...] = ()
    documents: tuple[str, ...] = ()
    result: str | None = None
    legal_basis: tuple[str, ...] = ()
    summary: str | None = None
    draft: bool = False
    kind: ContentKind = "service"


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    source_rel: str
    body: Body
    summary: str | None = None
    order: int = 0
    draft: bool = False
    kind: ContentKind = "page"


Entry = Union[Article, Plan, Service, Page]


@dataclass(frozen=True)
class Unit:
    """A provincial-level unit: one of the 34 current ones, a former one that lost
    its name in the 2025 merger, or the national pseudo-unit."""

    slug: str
    name: str  # short proper name: "Cà Mau"
    kind: str  # "tỉnh" | "thành phố" | "trung ương"
    full_name: str  # "tỉnh Cà Mau"
    current: bool
    merged_into: str  # slug of the current unit it is part of (itself when current)
    former: tuple[str, ...] = ()  # current units: lost-name former units merged into it
    aliases: tuple[str, ...] = ()
