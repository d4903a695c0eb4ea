"""Eco-mileage pages (/eco/): the citizen's side, the district's review, appeals, audit, outbox."""
