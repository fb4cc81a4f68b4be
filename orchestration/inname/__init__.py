"""Intake of submitted files: validate, record in the ledger, archive or quarantine."""
