from cchc_site.edges.cli import run

run()
