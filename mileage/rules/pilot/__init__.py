"""The 2014 car-mileage pilot with insurers (승용차 마일리지 시범사업), seed 002: PILOT-1..10."""
