"""API endpoints of this app (mounted by lentera.web.api.api)."""

from ninja import Router

router = Router()
