"""WebSocket routes of every app, gathered for the ASGI router (civic is the project)."""

from ballots.routing import websocket_urlpatterns as ballots_ws

websocket_urlpatterns = [*ballots_ws]
