"""Pages of joining and the account (parse, call a service, render)."""
