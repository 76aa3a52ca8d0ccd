"""Resolution: mention names to known or derived entities, and the curated knowledge they use."""
