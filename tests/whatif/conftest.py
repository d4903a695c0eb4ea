from tests.evaluations.conftest import manager, vehicles  # noqa: F401  (synthetic vehicles)
from tests.pilot.conftest import programme, registry  # noqa: F401  (the 2014 pilot)
