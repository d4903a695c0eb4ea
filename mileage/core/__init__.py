"""The platform's small shared core: what every app may import, and nothing app-specific.

- `errors`: `DomainError` (stable code, Korean message, HTTP status), `NotFound`, `Forbidden`.
  Pages (`mileage.web`) and the API (`mileage.site.api`) render them; apps only raise them.
- `panels`: the dashboard panel registry (`Panel`, `collect_panels`, `render_panel`).
- `guards`: role guards at the edge: `guard(test)` for pages, `person_auth` for the JSON API.
- `audit` + `models.AuditEntry`: one audit trail for every app (`audit.record(actor, action,
  subject, **refs)`).
- `notify` + `models.OutboxMessage`: the notifier adapter (`get_notifier().send(...)`) and the
  local notifier's outbox.
- `parameters`: `current_parameters()`, the parameters object every app reads numbers from.

`mileage.core` imports Django and `mileage.rules`, never an app: every app sits above it, so it
can be used from anywhere without an import cycle (see docs/architecture.md, "Layers").
"""
