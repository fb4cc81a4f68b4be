"""Internship-bureau exports: contract, reader, its ``Bron`` and its sample writer."""
