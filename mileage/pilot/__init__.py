"""Programmes run through partners (협력기관 경유 사업): the 2014 car-mileage pilot with insurers
(승용차 마일리지 시범사업, PILOT-1..10) and connected-car readings for eco-mileage (ECO-18)."""
