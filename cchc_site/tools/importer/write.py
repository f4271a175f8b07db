"""ImportResult → Markdown drafts on disk (never overwriting), and the terminal summary."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cchc_site.domain.vietnamese import slugify
from cchc_site.tools.importer.extraction import ImportResult, _markdown_escape
from cchc_site.tools.importer.plans import PlanDraft


# --- Markdown ------------------------------------------------------------------------------
def _q(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


def _date_value(when: datetime, has_time: bool) -> str:
    return when.isoformat(timespec="seconds") if has_time else when.date().isoformat()


def _one_line(note: str) -> str:
    """A note as one comment line: text from the page (a link's address) never starts a YAML key."""
    return " ".join(note.split())


def article_text(result: ImportResult, plan_slug: str | None) -> str:
    lines = [
        "---",
        f"# Imported from {result.name} by `cchc-site import`: review, then remove draft.",
        *[f"# REVIEW: {_one_line(note)}" for note in result.review],
        f"title: {_q(result.title)}",
        f"date: {_date_value(result.date, result.has_time)}",
        f"province: {result.province}",
    ]
    if result.summary:
        lines.append(f"summary: {_q(result.summary)}")
    if result.tags:
        lines.append("tags: [" + ", ".join(_q(t) for t in result.tags) + "]")
    if plan_slug:
        lines.append(f"plan: {plan_slug}")
    if result.source_name:
        lines += ["source:", f"  name: {_q(result.source_name)}"]
        if result.source_url:
            lines.append(f"  url: {_q(result.source_url)}")
    if result.author:
        lines.append(f"author: {_q(result.author)}")
    lines += ["draft: true", f"x-imported-from: {_q(result.name)}", "---", ""]
    return "\n".join(lines) + "\n\n".join(result.paragraphs) + "\n"


def plan_text(plan: PlanDraft, article_title: str, source: str) -> str:
    lines = [
        "---",
        f"# Made by `cchc-site import` from {source}: the article cites this plan.",
        *[f"# REVIEW: {_one_line(note)}" for note in plan.notes],
        f"title: {_q(plan.title)}",
        f"number: {_q(plan.number)}",
        f"issued: {plan.issued.date().isoformat()}",
        f"issuer: {_q(plan.issuer)}",
        f"province: {plan.province}",
    ]
    if plan.year is not None:
        lines.append(f"year: {plan.year}")
    if plan.summary:
        lines.append(f"summary: {_q(plan.summary)}")
    lines += [
        "draft: true",
        f"x-imported-from: {_q(source)}",
        "---",
        "",
        f"{plan.title} (số {plan.number}, ngày {plan.issued.strftime('%d/%m/%Y')}) của {plan.issuer}.",
        "",
        f"Trang này được tạo khi nhập tin bài «{_markdown_escape(article_title)}». Cần bổ sung nội dung chính "
        "và tệp toàn văn (attachments) trước khi đăng.",
    ]
    return "\n".join(lines) + "\n"


# --- writing -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Written:
    article: Path | None
    plan: Path | None
    plan_slug: str | None
    messages: tuple[str, ...]
    ok: bool


def existing_plans(content_dir: Path) -> dict[str, str]:
    """Normalised plan number → slug of the plans already in the site."""
    from cchc_site.content.frontmatter import split
    from cchc_site.core.yamlload import YamlProblem, load

    found: dict[str, str] = {}
    folder = content_dir / "plans"
    if not folder.is_dir():
        return found
    for path in sorted(folder.rglob("*.md")):
        try:
            parts = split(path.read_text("utf-8-sig").replace("\r\n", "\n"))
            if isinstance(parts, str):
                continue
            data, _ = load(parts[0])
        except (OSError, UnicodeDecodeError, YamlProblem, ValueError):
            continue
        if isinstance(data, dict) and isinstance(data.get("number"), str):
            slug = slugify(str(data.get("slug") or path.stem))
            found.setdefault(_number_key(data["number"]), slug)
    return found


def _number_key(number: str) -> str:
    return re.sub(r"\s+", "", number).upper()


def write_result(result: ImportResult, content_dir: Path, *, out: Path | None = None) -> Written:
    """Write the article (and plan) drafts under <out or content_dir>/{articles,plans}/imported/; never overwrite."""
    from cchc_site.tools.scaffold import existing_slugs

    base = out or content_dir
    messages: list[str] = []
    plan_path, plan_slug = None, None
    if result.plan is not None:
        known = {**existing_plans(content_dir), **(existing_plans(out) if out else {})}
        existing = known.get(_number_key(result.plan.number))
        if existing:
            plan_slug = existing
            messages.append(f"plan {result.plan.number} is already in the site as '{existing}': linked, not written")
        else:
            folder = base / "plans" / "imported"
            taken = {**existing_slugs(content_dir / "plans"), **existing_slugs(base / "plans")}
            if result.plan.slug in taken:
                messages.append(
                    f"a plan with slug '{result.plan.slug}' already exists ({taken[result.plan.slug]}); "
                    "linked to it, not overwritten"
                )
                plan_slug = result.plan.slug
            else:
                folder.mkdir(parents=True, exist_ok=True)
                plan_path = folder / f"{result.plan.slug}.md"
                with open(plan_path, "x", encoding="utf-8", newline="\n") as handle:
                    handle.write(plan_text(result.plan, result.title, result.name))
                plan_slug = result.plan.slug
    slug = result.slug
    taken = {**existing_slugs(content_dir / "articles"), **existing_slugs(base / "articles")}
    if slug in taken:
        messages.append(f"an article with slug '{slug}' already exists ({taken[slug]}); not overwritten")
        return Written(None, plan_path, plan_slug, tuple(messages), False)
    folder = base / "articles" / "imported"
    folder.mkdir(parents=True, exist_ok=True)
    article_path = folder / f"{slug}.md"
    with open(article_path, "x", encoding="utf-8", newline="\n") as handle:
        handle.write(article_text(result, plan_slug))
    return Written(article_path, plan_path, plan_slug, tuple(messages), True)


def summary_lines(result: ImportResult, written: Written) -> list[str]:
    """What import found and what an editor should review, for the terminal."""
    reasons = Counter(reason for reason, _ in result.dropped)
    lines = [f"{result.name}:"]
    if written.article:
        lines.append(f"  wrote     {written.article}")
    if written.plan:
        lines.append(f"  wrote     {written.plan}")
    guess = "; a guess: check it" if result.title_guessed else ""
    lines += [
        f"  title     {result.title}  [{result.title_from}{guess}]",
        f"  date      {_date_value(result.date, result.has_time)}  [{result.date_from}]",
        f"  province  {result.province}  [{result.province_from}]",
        f"  author    {result.author or '-'}" + (f"  [{result.author_from}]" if result.author else ""),
        f"  tags      {', '.join(result.tags) or '-'}",
    ]
    if result.source_name:
        lines.append(f"  source    {result.source_name}" + (f" <{result.source_url}>" if result.source_url else ""))
    if result.plan is not None:
        p = result.plan
        lines.append(f"  plan      {p.number}, {p.issued.strftime('%d/%m/%Y')}, {p.issuer} → {written.plan_slug}")
    lines.append(
        f"  kept      {len(result.paragraphs)} paragraph(s); dropped {len(result.dropped)} line(s): "
        + (", ".join(f"{n} {r}" for r, n in sorted(reasons.items())) or "none")
    )
    for message in written.messages:
        lines.append(f"  note      {message}")
    for note in result.review:
        lines.append(f"  review    {note}")
    return lines
