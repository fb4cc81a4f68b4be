"""Raw assets and their wiring for every source in the registry (orchestration/bronnen)."""
