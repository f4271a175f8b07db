"""Editors' tools that are not the build: `new` (skeletons of content files) and `import`
(articles saved from provincial portals turned into drafts).

May import: cchc_site.core, cchc_site.domain, cchc_site.config, cchc_site.content, cchc_site.site,
cchc_site.render, cchc_site.build and cchc_site.edges (a tool may build, or write files).
"""
