"""The admins' side-by-side translation of short labels (/admin/translations)."""
