"""cchc-site: static site generator for Vietnamese administrative-reform (CCHC) microsites."""

__version__ = "0.1.0"
