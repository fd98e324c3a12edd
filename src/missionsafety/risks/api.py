"""REST endpoints of the risks app."""

from ninja import Router

router = Router(tags=["risks"])
