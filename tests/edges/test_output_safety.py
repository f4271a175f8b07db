"""Issue 6, classes 3, 4 and 6: config refusals, the output folder, the dev server.

- A config that would make a build replace the user's work is refused with
  exit 2 before anything is touched.
- A build writes only its output folder (and its cache), never follows a
  symlink out of it, and swaps it in atomically: a build killed with SIGKILL
  half-way leaves the previous output as it was, and the next build leaves no
  temporary folders behind.
- The dev server listens on 127.0.0.1 unless told otherwise, and warns when told.
"""

from __future__ import annotations

import hashlib
import os
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sitefactory import REPO, make_site

from cchc_site.config.settings import load_config
from cchc_site.core.diagnostics import ConfigError
from cchc_site.edges.ownership import mark
from cchc_site.edges.server import is_loopback
from cchc_site.edges.writer import clean_leftovers, discard, new_temp, swap_in

ARTICLE = "---\ntitle: Tin {n}\ndate: 2024-01-{d:02d}\nprovince: ha-tinh\n---\n{body}\n"
GOOD = {
    "content/articles/a.md": ARTICLE.format(n="A", d=2, body="Nội dung A."),
    "content/pages/gioi-thieu.md": "---\ntitle: Giới thiệu\n---\nTrang.\n",
}


def cli(root: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": "1793491200"}
    env.pop("CCHC_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "cchc_site", *args], cwd=root, env=env, capture_output=True, text=True, timeout=timeout
    )


def snapshot(folder: Path) -> dict[str, str]:
    """Every file, folder and symlink below `folder` (symlinks not followed), with file contents."""
    out: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                out[rel] = "-> " + os.readlink(path)
            elif path.is_dir():
                out[rel] = "dir"
            else:
                out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if ".tmp-" in p.name or ".old-" in p.name)


# --- 3. config refusals: exit 2, nothing deleted ------------------------------------
def _with_output(value: str):  # type: ignore[no-untyped-def]
    def setup(root: Path) -> tuple[str, ...]:
        text = (root / "config.yaml").read_text("utf-8")
        (root / "config.yaml").write_text(text + f"output_dir: {value}\n", "utf-8")
        return ()

    return setup


def _output_symlink(root: Path) -> tuple[str, ...]:
    (root.parent / "elsewhere").mkdir()
    (root.parent / "elsewhere" / "keep.txt").write_text("giữ lại", "utf-8")
    os.symlink(root.parent / "elsewhere", root / "site-out")
    return ("--output", "site-out")


def _config_text(text: str):  # type: ignore[no-untyped-def]
    def setup(root: Path) -> tuple[str, ...]:
        (root / "config.yaml").write_text(text, "utf-8")
        return ()

    return setup


@pytest.mark.parametrize(
    "setup, fragment",
    [
        pytest.param(_with_output("."), "contains the site root", id="output-is-site-root"),
        pytest.param(_with_output("content/.."), "contains the site root", id="output-is-site-root-dotdot"),
        pytest.param(_with_output(".."), "contains the site root", id="output-is-parent"),
        pytest.param(_with_output("content"), "contains content_dir", id="output-is-content"),
        pytest.param(_with_output("templates"), "contains templates_dir", id="output-is-templates"),
        pytest.param(_with_output("config.yaml"), "is a file, not a folder", id="output-is-config-file"),
        pytest.param(lambda root: ("--output", "notes.txt"), "is a file, not a folder", id="output-is-a-file"),
        pytest.param(lambda root: ("--output", "."), "contains the site root", id="cli-output-dot"),
        pytest.param(_output_symlink, "is a symlink", id="output-is-a-symlink"),
        pytest.param(
            lambda root: ("--config", "khong-co.yaml"),
            "khong-co.yaml:0:0: error: config file not found",
            id="missing-config",
        ),
        pytest.param(
            _config_text("title: [T\nbase_url: https://a.vn\n"),
            "config.yaml:2:9: error: YAML syntax error",
            id="bad-yaml",
        ),
        pytest.param(
            _config_text("title: T\nbase_url: https://a.vn\nouput_dir: x\n"),
            "config.yaml:3:1: error: unknown config key 'ouput_dir'",
            id="unknown-key",
        ),
        pytest.param(
            _config_text("title: T\nbase_url: cchc.example.gov.vn\n"),
            "config.yaml:2:11: error: base_url 'cchc.example.gov.vn' must be an absolute http(s) URL",
            id="base-url-without-scheme",
        ),
        pytest.param(
            _config_text("title: T\nbase_url: https://a.vn\nx: !!python/object/apply:os.system [touch PWNED]\n"),
            "config.yaml:3:4: error: YAML tag '!!python/object/apply:os.system' is not allowed",
            id="python-tag",
        ),
        pytest.param(
            _config_text("title: T\x07\nbase_url: https://a.vn\n"),
            "config.yaml:1:9: error: character U+0007 is not allowed in YAML",
            id="control-character",
        ),
        pytest.param(_config_text("- a\n- b\n"), "config.yaml:1:1: error: config must be a mapping", id="config-list"),
        pytest.param(_config_text("title: T\n"), "config.yaml:1:1: error: 'base_url' is required", id="missing-key"),
    ],
)
def test_config_refused_with_exit_2_before_anything_is_touched(
    built_site: Path,
    tmp_path: Path,
    setup,  # type: ignore[no-untyped-def]
    fragment: str,
) -> None:
    root = tmp_path / "site"
    shutil.copytree(built_site, root, symlinks=True)
    args = setup(root)
    before = snapshot(tmp_path)
    # `check` reads the same config: its refusals once, for the config-text cases
    commands = ("build", "check") if "--output" not in args and "output" not in fragment else ("build",)
    for command in commands:
        result = cli(root, command, *args)
        assert result.returncode == 2, (command, result.stdout, result.stderr)
        assert fragment in result.stderr, result.stderr
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr
        assert snapshot(tmp_path) == before
    assert not (root / "PWNED").exists()


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("refusals") / "site"
    root.mkdir()
    make_site(root, {**GOOD, "templates/.keep": "", "notes.txt": "ghi chú\n"})
    first = cli(root, "build", "--jobs", "1")
    assert first.returncode == 0, first.stderr
    return root


@pytest.mark.parametrize("where", ["/", "/usr", "/etc", str(Path.home()), "/tmp"])
def test_system_folders_are_refused_as_output(tmp_path: Path, where: str) -> None:
    """Unit level on purpose: a regression here must never get as far as a real build."""
    make_site(tmp_path, GOOD)
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "config.yaml", output=Path(where), cwd=tmp_path)
    assert "refusing to replace it" in str(info.value)


# --- 4. the output folder ------------------------------------------------------------
def test_a_build_writes_only_its_output_and_cache(tmp_path: Path) -> None:
    root = tmp_path / "site"
    root.mkdir()
    make_site(root, GOOD)
    (tmp_path / "neighbour.txt").write_text("x", "utf-8")
    before = snapshot(tmp_path)
    assert cli(root, "build", "--jobs", "1").returncode == 0
    after = snapshot(tmp_path)
    changed = {p for p in set(before) | set(after) if before.get(p) != after.get(p)}
    assert changed and all(p.startswith(("site/output", "site/.cchc-cache", "site/.output.lock")) for p in changed), (
        sorted(changed)[:5]
    )


def test_symlinks_in_the_previous_output_are_never_followed(tmp_path: Path) -> None:
    root = tmp_path / "site"
    root.mkdir()
    site = make_site(root, GOOD)
    assert cli(root, "build", "--jobs", "1").returncode == 0
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("giữ lại", "utf-8")
    os.symlink(outside, root / "output/linked-folder")
    os.symlink(outside / "keep.txt", root / "output/linked-file.txt")
    # a page of the previous output swapped for a symlink to a file outside with the same size and mtime:
    # the next build must render it again, not carry the symlink over
    page = root / "output/tinh/ca-mau/index.html"
    st = page.stat()
    (outside / "page.html").write_bytes(page.read_bytes())
    os.utime(outside / "page.html", ns=(st.st_atime_ns, st.st_mtime_ns))
    page.unlink()
    os.symlink(outside / "page.html", page)
    outside_before = snapshot(outside)
    site.write("content/articles/a.md", ARTICLE.format(n="A", d=2, body="Nội dung A, sửa."))
    result = cli(root, "build", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert snapshot(outside) == outside_before
    links = [p for p in (root / "output").rglob("*") if p.is_symlink()]
    assert links == []
    assert "Cà Mau" in page.read_text("utf-8")
    assert leftovers(root) == []


def test_killed_between_the_two_renames_the_previous_output_comes_back(tmp_path: Path) -> None:
    """Without renameat2 the swap is two renames; killed between them, `output` is missing
    and the previous one sits in `.output.old-*`: the next build puts it back first."""
    output = tmp_path / "output"
    old = tmp_path / ".output.old-123-abcd1234"
    old.mkdir()
    (old / "index.html").write_text("trước", "utf-8")
    stale = tmp_path / ".output.tmp-99-deadbeef"
    stale.mkdir()
    mark(stale)  # what a build does first in its temporary folder
    (stale / "half.html").write_text("dở dang", "utf-8")
    tmp = new_temp(output)
    assert (output / "index.html").read_text("utf-8") == "trước"
    assert not old.exists() and not stale.exists()
    (tmp / "index.html").write_text("sau", "utf-8")
    swap_in(tmp, output)
    assert (output / "index.html").read_text("utf-8") == "sau"
    assert leftovers(tmp_path) == []


def test_a_folder_that_only_looks_like_a_leftover_is_kept(tmp_path: Path) -> None:
    lookalike = tmp_path / ".output.tmp-7-notours"
    lookalike.mkdir()
    (lookalike / "notes.md").write_text("việc của tôi", "utf-8")
    spare = tmp_path / ".output.spare"
    spare.mkdir()
    (spare / "draft.md").write_text("bản thảo", "utf-8")
    tmp = new_temp(tmp_path / "output")
    assert (lookalike / "notes.md").read_text("utf-8") == "việc của tôi"
    assert (spare / "draft.md").read_text("utf-8") == "bản thảo"  # not taken as a spare either
    assert not (tmp / "draft.md").exists()
    discard(tmp)


def test_clean_leftovers_never_follows_a_symlink(tmp_path: Path) -> None:
    target = tmp_path / "precious"
    target.mkdir()
    (target / "a.txt").write_text("x", "utf-8")
    os.symlink(target, tmp_path / ".output.tmp-1-planted")
    clean_leftovers(tmp_path / "output")
    assert (target / "a.txt").exists()


def _big_site(root: Path, count: int) -> None:
    body = "Đoạn văn **đậm** về cải cách hành chính, [một liên kết](https://a.vn). " * 8
    make_site(
        root,
        {f"content/articles/2024/tin-{i:04d}.md": ARTICLE.format(n=i, d=i % 28 + 1, body=body) for i in range(count)},
    )


def test_sigkill_mid_build_leaves_the_previous_output_and_no_leftovers(tmp_path: Path) -> None:
    root = tmp_path / "site"
    root.mkdir()
    _big_site(root, 700)
    previous = root / "output"
    (previous / "tin-tuc/cu").mkdir(parents=True)
    (previous / "index.html").write_text("<p>bản trước</p>", "utf-8")
    (previous / "tin-tuc/cu/index.html").write_text("<p>tin cũ</p>", "utf-8")
    mark(previous)  # an earlier build's output
    before = snapshot(previous)
    env = {**os.environ, "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": "1793491200"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "cchc_site", "build", "--jobs", "1", "--no-cache"],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    seen = None
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            temps = [p for p in root.iterdir() if p.name.startswith(".output.tmp-")]
            if temps and (temps[0] / "tin-tuc").is_dir():  # pages are being written into it
                seen = temps[0]
                break
            time.sleep(0.01)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    assert seen is not None, "the build finished before it could be killed; make the site bigger"
    assert proc.returncode == -signal.SIGKILL
    assert snapshot(previous) == before  # untouched
    assert seen.exists()  # the killed build's half-written folder is still there...
    for path in sorted((root / "content/articles/2024").iterdir())[3:]:
        path.unlink()
    result = cli(root, "build", "--jobs", "1", "--no-cache")
    assert result.returncode == 0, result.stderr
    assert leftovers(root) == []  # ...and the next build removed it
    assert (previous / "tin-tuc/tin-0000/index.html").is_file() and not (previous / "tin-tuc/cu").exists()


# --- 6. the dev server ---------------------------------------------------------------
def _serve_first_lines(root: Path, *args: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "cchc_site", "serve", "--port", "0", *args],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines = ""
    try:
        deadline = time.monotonic() + 30
        assert proc.stderr is not None
        while "serving http" not in lines and time.monotonic() < deadline and proc.poll() is None:
            ready, _, _ = select.select([proc.stderr], [], [], 0.5)
            if ready:
                lines += proc.stderr.readline()
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return lines


def test_dev_server_binds_loopback_by_default_and_warns_otherwise(tmp_path: Path) -> None:
    make_site(tmp_path, GOOD)
    default = _serve_first_lines(tmp_path)
    assert "serving http://127.0.0.1:" in default and "warning" not in default
    everywhere = _serve_first_lines(tmp_path, "--host", "0.0.0.0")
    assert "warning: serving on 0.0.0.0: anyone who can reach this machine can read the preview" in everywhere
    assert "serving http://0.0.0.0:" in everywhere


@pytest.mark.parametrize(
    "host, loopback",
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("127.1.2.3", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.10", False),
        ("example.gov.vn", False),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
