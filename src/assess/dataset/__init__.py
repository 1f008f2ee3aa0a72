"""Datasets for work across councils, and peer benchmarks drawn from them.

`assess dataset` writes assessments as tidy Parquet tables with a
Frictionless `datapackage.json` (`export`, over `rows`, `schema`, `arrow`,
`package` and `folder`), names replaced by pseudonymous keys (`keys`) unless
the officer asks for them. `assess peers` checks any number of such folders
(`package.read_dataset`), reads them with DuckDB and sets one assessment
against its peers (`peers`), laid out like every other report
(`peer_report`).

pyarrow and DuckDB come with the optional `data` extra; `extra` says so when
they are missing. Importing this package imports neither: the modules that
need them are imported only once `extra.require_libraries` has passed.
"""
