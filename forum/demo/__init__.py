"""The demo centre loaded by ``flask --app forum seed-demo``: believable, fictional."""
