"""WebSocket routes of every app, gathered for the ASGI router."""

from ballots.routing import websocket_urlpatterns as ballots_ws

websocket_urlpatterns = [*ballots_ws]
