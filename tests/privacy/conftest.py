from tests.pilot.conftest import programme, registry  # noqa: F401  (fixtures for pilot reads)
