"""Stage 2 of a build: read content files (sources), split and validate their front matter,
render their Markdown bodies (with a fast path that emits what Python-Markdown and nh3 emit),
and return frozen entries with every problem as a diagnostic.

May import: cchc_site.core, cchc_site.domain, cchc_site.config, cchc_site.site,
cchc_site.render.search_index (a body's search terms are computed, and cached, with the
body), and the incremental machinery only through cchc_site.incremental.api.
"""
