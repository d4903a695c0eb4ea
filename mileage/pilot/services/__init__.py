"""Every write of programmes run through partners, one module per use case."""
