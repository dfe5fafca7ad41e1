"""Speed measurements, run with ``make bench``: reported, never asserted in tests."""
