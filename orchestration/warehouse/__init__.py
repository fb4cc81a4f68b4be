"""Contracts and conformance, landing in raw with lineage, reading a source whole, publish."""
