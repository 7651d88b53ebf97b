from django.urls import path

from .consumers import ResultsConsumer

websocket_urlpatterns = [
    path("ws/cycles/<int:cycle_id>/results/", ResultsConsumer.as_asgi()),
]
