"""Sources → typed entries (Article, Plan, Service, Page): slugs, uniqueness,
Markdown bodies, references between files. Pure: no disk access."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Mapping, Sequence

from cchc_site.content.checks import (
    check_field_names,
    check_placeholders,
    check_provinces,
    check_references,
    far_future,
)
from cchc_site.content.entries import build_entry
from cchc_site.content.frontmatter import MAX_SLUG, Context, FrontMatter, parse
from cchc_site.content.images import check_images
from cchc_site.content.markdown import render_markdown
from cchc_site.content.resolve import guessing_resolver, make_resolver
from cchc_site.core.diagnostics import Diagnostic
from cchc_site.core.model import Body, Entry, ImageInfo, Source, SourceChanged
from cchc_site.core.work import FanOut, serial
from cchc_site.domain.glossary import Glossary
from cchc_site.domain.provinces import Registry
from cchc_site.domain.vietnamese import slugify
from cchc_site.incremental.api import (
    Cache,
    RenderedBody,
    decode_body,
    decode_parsed,
    digest,
    encode_body,
    encode_parsed,
)
from cchc_site.render.search_index import body_terms
from cchc_site.site import urls

# top-level folders a free page must not take
RESERVED_PAGE_SLUGS = {"tinh", "ke-hoach", "tin-tuc", "dich-vu-cong", "tim-kiem", "assets", "files", "404"}
RESERVED_SERVICE_SLUGS = {"muc-do-3", "muc-do-4", "linh-vuc"}
RESERVED_ARTICLE_PREFIX = "trang-"  # tin-tuc/trang-2/ is a news page


@dataclass(frozen=True)
class Parsed:
    source: Source
    front: FrontMatter
    slug: str
    output: str  # output path of its page


@dataclass(frozen=True)
class Content:
    entries: tuple[Entry, ...]
    files: Mapping[str, Path]  # output path ("files/x.pdf") → absolute source path
    diagnostics: tuple[Diagnostic, ...]
    keys: Mapping[tuple[str, str], str] = field(default_factory=dict)  # (kind, slug) → what it was built from
    terms: Mapping[tuple[str, str], tuple[Any, int]] = field(default_factory=dict)  # (body terms, length)
    bodies_rendered: int = 0  # bodies not taken from the cache
    next_due: datetime | None = None  # earliest date of a future entry left out (it will be due then)
    published_since: datetime | None = None  # latest date of a dated entry in (an earlier "now" leaves it out)
    images: Mapping[str, ImageInfo] = field(default_factory=dict)  # output path → what Pillow read of it
    drafts_left_out: int = 0  # draft entries a build without --drafts leaves out
    future_left_out: int = 0  # entries dated after "now", left out until then


def is_published(entry: Entry, now: datetime) -> bool:
    """Drafts and future-dated entries stay out of a build without --drafts."""
    if entry.draft:
        return False
    when = getattr(entry, "date", None)
    return not (isinstance(when, datetime) and when > now)


def _parse_one(st: Mapping[str, Any], index: int) -> tuple[FrontMatter | None, list[Diagnostic]]:
    """Worker: the front matter of source `index` (context from parse_all)."""
    return parse(st["sources"][index], st["ctx"])


@dataclass(frozen=True)
class BodyJob:
    """What rendering a body needs besides the file: given to parse_all, its workers
    render the body of every unread source right after parsing it."""

    files: Mapping[str, Path]  # attachments: output path → absolute path
    render: Callable[..., tuple[Body, list[Diagnostic]]]
    glossary: Glossary | Mapping[str, str]


Guess = tuple[str, RenderedBody, tuple[Any, ...]]  # (output path it was rendered for, the body, its cache record)


def _parse_render_one(
    st: Mapping[str, Any], index: int
) -> tuple[str, tuple[Any, ...], tuple[str, tuple[Any, ...]] | None] | None:
    """Worker: read unread source `index`, parse its front matter (as a cache record)
    and render its body, its links resolved by guessing each target's slug from its
    file name. The caller checks every guess (`RenderedBody.lookups`) against the
    real answers and renders again any body with a wrong one. None: the file
    cannot be read as text (the caller reads it again and reports why).

    The body comes back as its cache record (records.encode_body): its HTML and
    text cross the pipe as one blob, and are decoded where they are used."""
    source: Source = st["sources"][index]
    try:
        _ = source.text  # a changed file raises SourceChanged here
    except SourceChanged:
        return None
    front, diags = parse(source, st["ctx"])
    name_slug = slugify(PurePosixPath(source.rel).stem)
    body: tuple[str, tuple[Any, ...]] | None = None
    if front is not None:
        slug = front.fields.get("slug") or name_slug
        if slug and len(slug) <= MAX_SLUG:
            output = urls.for_entry(source.kind, slug)
            job: BodyJob = st["job"]
            rendered = _render_item(Parsed(source, front, slug, output), st["guess"], job.render, job.glossary)
            body = (output, encode_body(rendered))
    return source.sha, encode_parsed(front, diags, name_slug), body


@dataclass(frozen=True)
class StandIn:
    """A file whose front matter failed: it still counts as present, at the path and slug its
    file name gives, so that links and `plan:` keys naming it raise no second, false error
    ("one mistake, one message")."""

    source: Source
    slug: str
    output: str


def parse_all(
    sources: Sequence[Source],
    registry: Registry,
    cache: Cache | None = None,
    fan_out: FanOut = serial,
    bodies: BodyJob | None = None,
    stand_ins: list[StandIn] | None = None,
) -> tuple[list[Parsed], list[Diagnostic], dict[int, Guess]]:
    """Front matter of every source (from the cache, or parsed by `fan_out`), slugs, and slug
    uniqueness per type. With `bodies`, unread
    sources are read, parsed and their bodies rendered in one pass over the
    workers; those bodies come back by id of their source, to be checked."""
    ctx = Context(registry)
    parsed: list[Parsed] = []
    problems: list[Diagnostic] = []
    results: list[tuple[Any, ...] | None] = [None] * len(sources)  # (front, diagnostics[, name slug, record])
    todo: list[int] = []
    unread: list[int] = []
    guessed: dict[int, Guess] = {}
    for i, source in enumerate(sources):
        if bodies is not None and source.unread:
            unread.append(i)
            continue
        # the cache keeps front matter without its body: `body_text` takes it from the source
        record = cache.get("parsed", (source.kind, source.rel, source.sha)) if cache is not None else None
        hit = decode_parsed(record) if record is not None else None
        if hit is None:
            todo.append(i)
            _ = source.text  # read here, not in a worker: a changed file raises SourceChanged here
            continue
        results[i] = (*hit, record)
    for i, result in zip(todo, fan_out(_parse_one, {"sources": sources, "ctx": ctx}, todo)):
        results[i] = result
    if unread:
        assert bodies is not None
        context = {"sources": sources, "ctx": ctx, "job": bodies, "guess": guessing_resolver(sources, bodies.files)}
        for i, fused in zip(unread, fan_out(_parse_render_one, context, unread)):
            if fused is None:
                raise SourceChanged(sources[i].rel)
            sha, record, body = fused
            sources[i].learned(sha)
            results[i] = (*decode_parsed(record), record)  # type: ignore[misc]
            decoded = decode_body(body[1]) if body is not None else None
            if decoded is not None:
                guessed[id(sources[i])] = (body[0], decoded, body[1])
    for source, result in zip(sources, results):
        assert result is not None
        front, diags = result[0], result[1]
        # the slug the file name gives (kept in the cache with the front matter: slugify is not free)
        name_slug = result[2] if len(result) > 2 else slugify(PurePosixPath(source.rel).stem)
        if cache is not None:
            cache.put(
                "parsed",
                (source.kind, source.rel, source.sha),
                result[3] if len(result) > 3 else encode_parsed(front, diags, name_slug),
            )
        problems += diags
        if front is None:
            if stand_ins is not None and name_slug:
                stand_ins.append(StandIn(source, name_slug, urls.for_entry(source.kind, name_slug)))
            continue
        slug = front.fields.get("slug") or name_slug
        line, col = front.line_of("slug") if "slug" in front.fields else (1, 1)
        if not slug:
            problems.append(Diagnostic(source.rel, 1, 1, "the file name gives an empty slug; add a 'slug' key"))
            continue
        if len(slug) > MAX_SLUG:
            problems.append(
                Diagnostic(
                    source.rel, line, col, f"slug is longer than {MAX_SLUG} characters; add a shorter 'slug' key"
                )
            )
            continue
        reserved = (
            (source.kind == "page" and slug in RESERVED_PAGE_SLUGS)
            or (source.kind == "service" and slug in RESERVED_SERVICE_SLUGS)
            or (source.kind == "article" and slug.startswith(RESERVED_ARTICLE_PREFIX) and slug[6:].isdigit())
        )
        if reserved:
            problems.append(
                Diagnostic(source.rel, line, col, f"slug '{slug}' is reserved for a page of the site; choose another")
            )
            continue
        parsed.append(Parsed(source, front, slug, urls.for_entry(source.kind, slug)))
    by_slug: dict[tuple[str, str], list[Parsed]] = {}
    for item in parsed:
        by_slug.setdefault((item.source.kind, item.slug), []).append(item)
    unique: list[Parsed] = []
    for (kind, slug), items in by_slug.items():
        if len(items) == 1:
            unique.append(items[0])
            continue
        for this in items:
            others = ", ".join(o.source.rel for o in items if o is not this)
            line, col = this.front.line_of("slug") if "slug" in this.front.fields else (1, 1)
            problems.append(
                Diagnostic(this.source.rel, line, col, f"duplicate {kind} slug '{slug}': also used by {others}")
            )
    order = {id(p): i for i, p in enumerate(parsed)}
    return sorted(unique, key=lambda p: order[id(p)]), problems, guessed


TEXT_KEPT = 600  # characters of a body's plain text an entry keeps (summaries, meta descriptions)


def body_text(item: Parsed) -> str:
    """The Markdown body of a parsed source (front matter from the cache has none)."""
    return item.front.body or "\n".join(item.source.text.split("\n")[item.front.body_line - 1 :])


def _render_one(st: Mapping[str, Any], index: int) -> RenderedBody:
    """Worker: render the body of parsed item `index` (context from render_bodies)."""
    return _render_item(st["todo"][index], st["resolve"], st["render"], st["glossary"])


def _render_item(
    item: Parsed,
    resolve: Callable[[Path], str | None],
    render: Callable[..., Any],
    glossary: Glossary | Mapping[str, str],
) -> RenderedBody:
    """The body of `item`, with the log of its link look-ups and its search terms."""
    lookups: list[tuple[str, str | None]] = []

    def logged(target: Path) -> str | None:
        answer = resolve(target)
        lookups.append((str(target), answer))
        return answer

    body, diags = render(
        body_text(item),
        page_path=item.output,
        source_path=item.source.path,
        source_rel=item.source.rel,
        body_line=item.front.body_line,
        resolve=logged,
        glossary=glossary,
    )
    terms, length = body_terms(body.text)
    return RenderedBody(replace(body, text=body.text[:TEXT_KEPT]), tuple(diags), tuple(lookups), terms, length)


def load_content(
    sources: Sequence[Source],
    files: Sequence[tuple[str, Path]],
    content_dir: Path,
    registry: Registry,
    glossary: Glossary | Mapping[str, str],
    *,
    now: datetime,
    drafts: bool,
    render: Callable[..., tuple[Body, list[Diagnostic]]] = render_markdown,
    cache: Cache | None = None,
    fan_out: FanOut = serial,
    cwd: Path | None = None,
    site_provinces: tuple[str, ...] | None = None,
) -> Content:
    """Every source → entry. `drafts=False` leaves drafts and future entries out (and links to them fail).

    Bodies come from `cache` when the file and every link look-up it made are
    unchanged; the others are rendered by `fan_out` (over processes)."""
    try:
        return _load_content(
            sources,
            files,
            content_dir,
            registry,
            glossary,
            now=now,
            drafts=drafts,
            render=render,
            cache=cache,
            fan_out=fan_out,
            cwd=cwd,
            site_provinces=site_provinces,
        )
    except SourceChanged:  # a file the cache vouched for was edited meanwhile: read every such file now
        again: list[Source] = []
        problems: list[Diagnostic] = []
        for source in sources:
            fresh = source.reloaded()
            (again if isinstance(fresh, Source) else problems).append(fresh)  # type: ignore[arg-type]
        content = _load_content(
            again,
            files,
            content_dir,
            registry,
            glossary,
            now=now,
            drafts=drafts,
            render=render,
            cache=cache,
            fan_out=fan_out,
            cwd=cwd,
            site_provinces=site_provinces,
        )
        return replace(content, diagnostics=tuple(problems) + content.diagnostics)


def _load_content(
    sources: Sequence[Source],
    files: Sequence[tuple[str, Path]],
    content_dir: Path,
    registry: Registry,
    glossary: Glossary | Mapping[str, str],
    *,
    now: datetime,
    drafts: bool,
    render: Callable[..., tuple[Body, list[Diagnostic]]],
    cache: Cache | None,
    fan_out: FanOut,
    cwd: Path | None = None,
    site_provinces: tuple[str, ...] | None = None,
) -> Content:
    file_map = {"files/" + rel: path for rel, path in files}
    stand_ins: list[StandIn] = []
    parsed, problems, guessed = parse_all(
        sources, registry, cache, fan_out, BodyJob(file_map, render, glossary), stand_ins
    )

    def include(p: Parsed) -> bool:
        if drafts:
            return True
        if p.front.fields.get("draft", False):
            return False
        when = p.front.fields.get("date") or p.front.fields.get("issued")
        return not (isinstance(when, datetime) and when > now)

    included = [p for p in parsed if include(p)]
    dated = [
        when
        for p in parsed
        if not p.front.fields.get("draft", False)
        for when in [p.front.fields.get("date") or p.front.fields.get("issued")]
        if isinstance(when, datetime)
    ]
    future = [when for when in dated if when > now]
    past = [when for when in dated if when <= now]  # the output holds these for as long as "now" stays after them
    problems += far_future(parsed, now)
    left_out = (0, 0) if drafts else (sum(1 for p in parsed if p.front.fields.get("draft", False)), len(future))
    resolve = make_resolver(parsed, file_map, content_dir, include, stand_ins)
    images, found = check_images(included, file_map, content_dir, cache, cwd)
    problems += found
    rendered: dict[int, RenderedBody] = {}
    todo: list[int] = []
    stored: dict[
        int, tuple[Any, ...]
    ] = {}  # the cache record of each body that has one already (cached, or from a worker)
    fresh = 0  # bodies rendered in this build
    for i, item in enumerate(included):
        raw = cache.get("bodies", _body_key(item)) if cache else None
        hit = decode_body(raw) if raw is not None else None
        guess = guessed.get(id(item.source))
        if hit is not None and all(resolve(t) == answer for t, answer in hit.lookups):
            rendered[i] = hit
            stored[i] = raw  # type: ignore[assignment]
        elif (
            guess is not None
            and guess[0] == item.output
            and all(resolve(t) == answer for t, answer in guess[1].lookups)
        ):
            rendered[i] = guess[1]  # rendered while parsing, and every guessed link was right
            stored[i] = guess[2]
            fresh += 1
        else:
            todo.append(i)
            body_text(item)  # read here, not in a worker (see parse_all)
    context = {"todo": [included[i] for i in todo], "resolve": resolve, "render": render, "glossary": glossary}
    for i, result in zip(todo, fan_out(_render_one, context, range(len(todo)))):
        rendered[i] = result

    entries: list[Entry] = []
    keys: dict[tuple[str, str], str] = {}
    terms: dict[tuple[str, str], tuple[Any, int]] = {}
    for i, item in enumerate(included):
        result = rendered[i]
        if cache is not None:
            cache.put("bodies", _body_key(item), stored[i] if i in stored else encode_body(result))
        problems += result.diagnostics
        entry, diags = build_entry(item, result.body, file_map, content_dir)
        problems += diags
        if entry is not None:
            entries.append(entry)
            terms[(entry.kind, entry.slug)] = (result.terms, result.length)
            keys[(entry.kind, entry.slug)] = digest(
                item.source.kind, item.source.rel, item.source.sha, *(f"{t}>{a}" for t, a in result.lookups)
            )
    by_key: dict[tuple[str, str], Parsed] = {(p.source.kind, p.slug): p for p in parsed}
    problems += check_references(entries, by_key, (s.slug for s in stand_ins if s.source.kind == "plan"))
    problems += check_field_names(entries, by_key)
    problems += check_provinces(entries, by_key, registry, site_provinces)
    problems += check_placeholders(included, body_text)
    return Content(
        tuple(entries),
        file_map,
        tuple(problems),
        keys,
        terms,
        fresh + len(todo),
        None if drafts or not future else min(future),
        None if drafts or not past else max(past),
        images,
        *left_out,
    )


def _body_key(item: Parsed) -> tuple[str, str, str]:
    return (item.source.sha, item.source.rel, item.output)
