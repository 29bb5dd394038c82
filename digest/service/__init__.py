"""The subscription service: sign-up with double opt-in, unsubscribe, privacy.

An ASGI app (Starlette) served by uvicorn beside the static site: `python -m
digest serve` or `make subscriptions` (docs/subscriptions.md, "Subscriptions").
"""
