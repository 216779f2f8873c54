"""Experts' proposals of guide text, and the admins' decisions on them."""
