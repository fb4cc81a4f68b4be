"""Zorggroep workbooks: the exchange standard and everything derived from it, the reader and
cross-sheet rules, pseudonymisation, its ``Bron`` and its sample (and flawed) workbooks."""
