"""Demo data built from the two sample documents in `documents/` (`liaison demo`)."""
