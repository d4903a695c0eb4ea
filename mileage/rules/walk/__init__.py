"""Walking mileage (보행 마일리지), seed 000: WALK-1..WALK-4."""
