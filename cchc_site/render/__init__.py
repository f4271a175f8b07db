"""Stage 4 of a build: turn the site model into bytes — pages through Jinja templates, feeds,
sitemap, the search index, the offline manifest and service worker, QR codes, the publish
headers, and fingerprinted static assets. Pure: nothing here writes to disk.

May import: cchc_site.core, cchc_site.domain, cchc_site.config, cchc_site.site, and the
incremental machinery only through cchc_site.incremental.api (templates' reads are recorded).
"""
