from tests.personas import world  # noqa: F401  (the named personas, as a fixture)
