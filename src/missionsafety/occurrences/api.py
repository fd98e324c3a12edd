"""REST endpoints of the occurrences app."""

from ninja import Router

router = Router(tags=["occurrences"])
