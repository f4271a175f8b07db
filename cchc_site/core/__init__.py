"""The shared vocabulary of every stage: frozen content types, diagnostics, YAML with lines.

May import: the standard library and third-party libraries only (nothing of cchc_site).
"""
