"""Developer tools that drive the real app, kept beside the tests (pytest does not collect them)."""
