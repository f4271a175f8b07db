"""Editors' tools that are not the build: `new` (skeletons of content files) and `import`
(articles saved from provincial portals turned into drafts).

May import: cchc_site.core, cchc_site.domain, cchc_site.config, cchc_site.content.
"""
