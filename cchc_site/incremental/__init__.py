"""The incremental build, beside the pipeline rather than in it: the on-disk cache, the record
store and its codecs, fingerprints of what each page depends on, and the search state that
is patched instead of rebuilt. Removing this package's effect (an empty cache) must never
change the output, only the time it takes.

May import: cchc_site.core, cchc_site.domain, cchc_site.config, cchc_site.content, cchc_site.render
(the types it records). The stages reach it only through cchc_site.incremental.api.
"""
