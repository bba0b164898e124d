"""The demo data set's tables, by subject; `demo.seeding` loads them through the real services."""
