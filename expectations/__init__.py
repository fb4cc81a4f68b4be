"""Great Expectations suites on the marts, and the code that runs them on DataFrames.

GX 1.x reads DuckDB unreliably through SQLAlchemy, so a mart is read into a DataFrame first
and validated there (docs/architectuur.md, "Two Python environments").
"""
