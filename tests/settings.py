"""Settings for the test suite: the project's settings in development mode.

Production is the settings' default and refuses to start without its secrets; the tests run
in development mode (as `make test` asks too). Tests of production mode start a subprocess with
their own environment (tests/platform/test_production_mode.py).
"""

import os

os.environ["MILEAGE_ENV"] = "development"

from mileage.site.settings import *  # noqa: F403
