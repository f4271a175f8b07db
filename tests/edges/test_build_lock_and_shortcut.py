"""Two builds at once take turns; the no-change shortcut follows everything that decides the output."""

from __future__ import annotations

import fcntl
import io
import os
import subprocess
import sys
import time
from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sitefactory import REPO, make_site
from test_incremental import tree

from cchc_site.domain.vietnamese import VIETNAM_TZ
from cchc_site.edges.lock import lock_path
from cchc_site.edges.runner import RunOptions, run_build

BASE = datetime(2025, 7, 1, 8, 0, tzinfo=VIETNAM_TZ)
ARTICLE = "---\ntitle: {title}\ndate: {date}\nprovince: ha-tinh\n{draft}---\nNội dung {title}.\n"


def _article(title: str, day: int, draft: bool = False) -> str:
    when = (BASE + timedelta(days=day)).strftime("%Y-%m-%d %H:%M")
    return ARTICLE.format(title=title, date=when, draft="draft: true\n" if draft else "")


def test_a_second_build_waits_for_the_first(tmp_site) -> None:  # type: ignore[no-untyped-def]
    site = tmp_site({"content/articles/a.md": _article("Tin A", 1)})
    output = site.root / "output"
    fd = os.open(lock_path(output), os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)  # a build of this output is running
    env = {**os.environ, "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": "1793491200"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "cchc_site", "build"],
        cwd=site.root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stderr.readline()  # type: ignore[union-attr]
        assert "another build" in line and "waiting" in line
        time.sleep(0.3)
        assert proc.poll() is None and not output.exists()  # it waits, touching nothing
    finally:
        os.close(fd)  # the first build ends
    assert proc.wait(timeout=60) == 0
    assert (output / "tin-tuc/a/index.html").is_file()


STEP = st.one_of(
    st.tuples(st.just("epoch"), st.integers(-3, 12)),  # "now", in days after BASE
    st.tuples(st.just("drafts"), st.booleans()),
    st.tuples(st.just("date"), st.integers(0, 3), st.integers(-2, 10)),  # article i moves to day d
    st.tuples(st.just("draft"), st.integers(0, 3), st.booleans()),
    st.tuples(st.just("title"), st.integers(0, 3), st.text("abc xyz", min_size=1, max_size=6)),
    st.tuples(st.just("nothing")),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(STEP, min_size=1, max_size=6))
def test_the_shortcut_equals_a_cold_build_over_edits_epochs_and_flags(tmp_path_factory, steps) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("shortcut")
    articles = {i: [f"Tin {i}", i * 3, False] for i in range(4)}

    written: dict[int, str] = {}

    def write() -> None:  # only what changed: an unchanged file keeps its stat, so the shortcut can apply
        for i, (title, day, draft) in articles.items():
            text = _article(title, day, draft)
            if written.get(i) != text:
                site.write(f"content/articles/a{i}.md", text)
                written[i] = text

    site = make_site(root, {})
    write()
    now, drafts = BASE + timedelta(days=5), False
    shortcuts = 0
    for step in [("nothing",), *steps]:
        if step[0] == "epoch":
            now = BASE + timedelta(days=step[1], hours=1)
        elif step[0] == "drafts":
            drafts = step[1]
        elif step[0] == "date":
            articles[step[1]][1] = step[2]
        elif step[0] == "draft":
            articles[step[1]][2] = step[2]
        elif step[0] == "title":
            articles[step[1]][0] = f"Tin {step[1]} {step[2].strip() or 'x'}"
        write()
        cached = run_build(
            site.config(output=root / "out"),
            RunOptions(cache_dir=root / ".cchc-cache", drafts=drafts),
            now,
            io.StringIO(),
        )
        cold = run_build(site.config(output=root / "cold"), RunOptions(drafts=drafts), now, io.StringIO())
        assert cached.ok and cold.ok
        assert tree(root / "out") == tree(root / "cold"), (step, cached.up_to_date)
        shortcuts += cached.up_to_date
