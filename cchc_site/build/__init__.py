"""The pipeline: runs the stages in order and hands output files to a sink.

`pipeline.build_site` reads top to bottom (read → content → assemble →
image variants → pages with the derived outputs alongside → offline manifest
and headers); `pages` renders or reuses each page, `images` makes or reuses
the resized images, `derived` makes the search data, feeds and the other
whole-site files, `timing` measures the stages.

May import: every stage (core, domain, config, content, site, render) and
incremental; of the edges only `edges.parallel`, for the worker processes
(`--jobs`), chosen in one place (`pipeline._fan_out`). Imported by the edges
(the CLI runner, the dev server) and by tests.
"""

from cchc_site.build.derived import derived_assets, offline_files, publish_headers, search_doc
from cchc_site.build.pages import COST, GENERATED, templates_digest
from cchc_site.build.pipeline import BuildResult, BuildStats, MemorySink, build_site, build_time, check

__all__ = [
    "COST",
    "GENERATED",
    "BuildResult",
    "BuildStats",
    "MemorySink",
    "build_site",
    "build_time",
    "check",
    "derived_assets",
    "offline_files",
    "publish_headers",
    "search_doc",
    "templates_digest",
]
