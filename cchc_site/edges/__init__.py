"""Side effects at the edges of the pipeline: the command line, the runner that turns a build
into an exit code, the atomic writer of output/, forked render workers, the dev server and
the file watcher.

May import: anything of cchc_site; nothing in the stages imports this package.
"""
