"""REST endpoints of the evaluations app."""

from ninja import Router

router = Router(tags=["evaluations"])
