from tests.readings.support import eco_settings  # noqa: F401  (fixture)
