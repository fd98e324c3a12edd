"""REST endpoints of the feedback app."""

from ninja import Router

router = Router(tags=["feedback"])
