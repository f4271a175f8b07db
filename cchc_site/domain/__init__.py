"""Facts of the domain that do not depend on a site: Vietnamese text (folding, slugs, dates),
the province registry (34 current units, 63 former ones, who merged into whom) and the
CCHC glossary.

May import: cchc_site.core.
"""
