"""The JSON API at /api/v1, its errors, authentication and OpenAPI document.

- ``routes``: the blueprint and what every request passes through (the token, errors as
  problem+json, the rate limits), ``/me`` and the document's routes; the other routes join
  it from a module per subject: ``question_routes``, ``curated_routes`` (the FAQ and the
  guide), ``clinic_routes`` (clinics and referrals), ``search_routes``, ``review_routes``.
- ``listing``: a page of a list, with links to its neighbours.
- ``auth``, ``problems``: bearer tokens; problem+json.
- ``input_fields``, ``bodies``, ``queries``, ``validation``: the input, as models.
- ``serializers``: the output; ``payloads`` (the shared shapes) and a module per subject
  (``question_payloads``, ``curated_payloads``, ``clinic_payloads``, ``search_payloads``,
  ``review_payloads``): its models.
- ``operations``, ``openapi``: every operation declared, and the document made from them.
"""
