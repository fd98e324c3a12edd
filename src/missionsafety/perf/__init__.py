"""Performance tooling: the reference data set generator and the benchmark suite.

A plain package (not a Django app): ``generate`` fills a database with the
reference data set of DESIGN.md section 5, ``scenarios`` names what the
benchmark measures, ``bench`` runs it against gunicorn over HTTP, ``stats``
holds the percentile maths and ``middleware`` adds a ``Server-Timing`` header
during benchmark runs.
"""
