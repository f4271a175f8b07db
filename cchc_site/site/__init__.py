"""Stage 3 of a build: assemble the site model (lists, province indexes, services guide,
cross-references) from validated entries, and the URL rules every stage shares.

May import: cchc_site.core, cchc_site.domain, cchc_site.config.
"""
