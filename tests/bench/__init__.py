"""`make bench`: home pages on the small and the large demo district, on PostgreSQL.

Run as `python -m tests.bench` with DATABASE_URL naming a PostgreSQL server
(`make bench` starts a private one). See bench/README.md for the figures.
"""
