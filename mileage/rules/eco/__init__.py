"""Eco-mileage for cars (에코마일리지 승용차), seed 001: ECO-1..ECO-17."""
