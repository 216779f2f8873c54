"""/metrics: the Prometheus scrape, for the allowed addresses or the holder of the token."""
