"""Nivel's registry extract: contract, reader, its ``Bron`` and its sample writer."""
