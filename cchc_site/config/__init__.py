"""Stage 1 of a build: read and validate config.yaml into a frozen SiteConfig.

May import: cchc_site.core, cchc_site.domain.
"""
