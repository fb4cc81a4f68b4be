"""Great Expectations suites for incoming sheets, derived from the source contracts.

Not stored as JSON in ``expectations/suites/``: every suite there is a mart check. These
are built from the same ``Column`` definitions the contracts hold (for the zorggroep
template: ``orchestration/defs/zorggroep/standard.py``), so a rule is written once.
"""
