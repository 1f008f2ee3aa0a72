"""The interactive app (Textual): officers complete, resume and review assessments here.

`assess.tui.app.run(settings)` is the entry point the command line calls. The
app is a thin view over the domain: the store saves every answer, scoring and
benchmarking compute the results, and the screens only show and collect.
"""
