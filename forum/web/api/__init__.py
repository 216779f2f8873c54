"""The JSON API at /api/v1 (routes.py), its errors, authentication and OpenAPI document."""
