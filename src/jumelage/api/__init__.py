"""The HTTP adapters: the JSON API under /api/v1 and the app that serves it."""
