"""The web layer: blueprints by audience or task, access rules, auth, errors, rate limits, forms, templates, static files."""
