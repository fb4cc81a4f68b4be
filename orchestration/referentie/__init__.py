"""Readers of the vendored reference data (data/reference) and the what-if scenarios."""
