"""/healthz (the process is alive) and /readyz (it can serve: database, migrations, Redis)."""
