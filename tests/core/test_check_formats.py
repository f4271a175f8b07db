"""check --format text|github|json; drafts are validated too."""

from __future__ import annotations

import json

from cchc_site.edges.cli import main

GOOD = "---\ntitle: Tin tốt\ndate: 2024-05-01\nprovince: ha-tinh\n---\nNội dung.\n"
BAD_DRAFT = "---\ntitle: Bản nháp\ndate: 2024-13-45\nprovince: ha-tinh\ndraft: true\n---\nNội dung.\n"
BAD_KEY = "---\ntitle: Tin\ndate: 2024-05-01\nprovince: Ha Tinhh\ntitel: x\n---\n"


def site_with_errors(tmp_site, monkeypatch):
    site = tmp_site(
        {"content/articles/good.md": GOOD, "content/articles/draft.md": BAD_DRAFT, "content/articles/typo.md": BAD_KEY}
    )
    monkeypatch.chdir(site.root)
    return site


def test_github_annotations(tmp_site, monkeypatch, capsys):
    site_with_errors(tmp_site, monkeypatch)
    assert main(["check", "--format", "github"]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("::error file=content/articles/draft.md,line=3,col=7::'date' '2024-13-45'")
    assert any(
        line.startswith("::error file=content/articles/typo.md,line=4,col=11::'province' unknown province")
        for line in lines
    )
    assert any(
        line.startswith("::error file=content/articles/typo.md,line=5,col=1::unknown key 'titel'") for line in lines
    )
    assert all(line.startswith("::error file=") for line in lines)


def test_json_list_on_stdout(tmp_site, monkeypatch, capsys):
    site_with_errors(tmp_site, monkeypatch)
    assert main(["check", "--format", "json"]) == 1
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert isinstance(data, list) and len(data) == 3
    assert all(set(item) == {"file", "line", "col", "severity", "message"} for item in data)
    first = data[0]
    assert (first["file"], first["line"], first["col"], first["severity"]) == (
        "content/articles/draft.md",
        3,
        7,
        "error",
    )
    assert "không" not in captured.err  # nothing else mixed into the machine-readable stream


def test_text_format_and_counts(tmp_site, monkeypatch, capsys):
    site_with_errors(tmp_site, monkeypatch)
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert "content/articles/draft.md:3:7: error: 'date'" in err and err.strip().endswith("3 errors")


def test_clean_site_in_every_format(tmp_site, monkeypatch, capsys):
    site = tmp_site({"content/articles/good.md": GOOD})
    monkeypatch.chdir(site.root)
    assert main(["check", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["check", "--format", "github"]) == 0
    assert capsys.readouterr().out.strip() == ""


def test_usage_error_exit_code(tmp_site, monkeypatch, capsys):
    site = tmp_site()
    monkeypatch.chdir(site.root)
    assert main(["check", "--config", "missing.yaml", "--format", "json"]) == 2
    data = json.loads(capsys.readouterr().out)
    assert data[0]["file"] == "missing.yaml" and "not found" in data[0]["message"]


def test_headers_file_for_static_hosts(tmp_site):
    """publish.headers_file: no path gets Cache-Control from two rules (hosts would join the values)."""
    from cchc_site.build import build_site
    from cchc_site.render.pages import CSP
    from cchc_site.render.publish import headers_file

    site = tmp_site({"content/articles/good.md": GOOD})
    files = build_site(site.config(), cwd=site.root).files
    text = headers_file(files).decode("utf-8")
    rules: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        if line.startswith("/"):
            current = line
            rules[current] = []
        elif line.startswith("  ") and current:
            rules[current].append(line.strip())
    assert rules["/*"] == [
        f"Content-Security-Policy: {CSP}",
        "X-Content-Type-Options: nosniff",
        "Referrer-Policy: strict-origin-when-cross-origin",
    ]
    assert rules["/assets/*"] == ["Cache-Control: public, max-age=31536000, immutable"]
    for pattern in ("/", "/index.html", "/manifest.webmanifest", "/sw.js", "/tin-tuc/*", "/tinh/*"):
        assert rules[pattern] == ["Cache-Control: no-cache"], pattern
    assert not any(h.startswith("Cache-Control") for h in rules["/*"])
    assert headers_file(files) == text.encode("utf-8")  # deterministic
