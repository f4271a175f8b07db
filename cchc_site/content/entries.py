"""One parsed source → its typed entry (Article, Plan, Service, Page), with the checks that
need the attachments: an article's image and a plan's attached files must exist. Pure."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Mapping

from cchc_site.content.images import file_output
from cchc_site.core.diagnostics import Diagnostic
from cchc_site.core.model import Article, Attachment, Body, Entry, Page, Plan, Service

if TYPE_CHECKING:
    from cchc_site.content.loader import Parsed


def build_entry(
    item: Parsed, body: Body, files: Mapping[str, Path], content_dir: Path
) -> tuple[Entry | None, list[Diagnostic]]:
    """The typed entry of one parsed source, with its rendered body."""
    f: dict[str, Any] = dict(item.front.fields)
    rel = item.source.rel
    problems: list[Diagnostic] = []
    common = dict(
        slug=item.slug,
        title=f["title"],
        source_rel=rel,
        body=body,
        summary=f.get("summary"),
        draft=f.get("draft", False),
    )
    kind = item.source.kind
    if kind == "article":
        image = f.get("image")
        if image is not None:
            target = file_output(item.source.path.parent / image, content_dir)
            if target is None or target not in files:
                line, col = item.front.line_of("image")
                problems.append(Diagnostic(rel, line, col, f"'image' file '{image}' not found under content/files/"))
            image = target
        entry: Entry = Article(
            date=f["date"],
            province=f["province"],
            tags=f.get("tags", ()),
            plan=f.get("plan"),
            source=f.get("source"),
            author=f.get("author"),
            image=image,
            image_alt=f.get("image_alt"),
            **common,
        )
    elif kind == "plan":
        attached = []
        for i, (title, file) in enumerate(f.get("attachments", ())):
            target = "files/" + PurePosixPath(file).as_posix().lstrip("/")
            if target not in files or ".." in PurePosixPath(file).parts:
                where = item.front.positions.get(("attachments", str(i)))
                line, col = (where.value_line, where.value_col) if where else item.front.line_of("attachments")
                problems.append(Diagnostic(rel, line, col, f"attachment '{file}' not found under content/files/"))
                continue
            attached.append(Attachment(title, file, target))
        entry = Plan(
            number=f["number"],
            issued=f["issued"],
            issuer=f["issuer"],
            province=f["province"],
            year=f.get("year", f["issued"].year),
            tags=f.get("tags", ()),
            attachments=tuple(attached),
            **common,
        )
    elif kind == "service":
        entry = Service(
            level=f["level"],
            field=f["field"],
            agency=f["agency"],
            portal_url=f["portal_url"],
            code=f.get("code"),
            provinces=f.get("provinces"),
            processing_time=f.get("processing_time", ()),
            fee=f.get("fee", ()),
            documents=f.get("documents", ()),
            result=f.get("result"),
            legal_basis=f.get("legal_basis", ()),
            **common,
        )
    else:
        entry = Page(order=f.get("order", 0), **common)
    return (None if problems else entry), problems
