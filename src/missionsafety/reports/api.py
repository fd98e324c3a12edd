"""REST endpoints of the reports app."""

from ninja import Router

router = Router(tags=["reports"])
