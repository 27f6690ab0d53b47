"""ASGI entry point: HTTP today, WebSockets (Django Channels) as live features arrive.

https://channels.readthedocs.io/en/stable/topics/routing.html
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings.dev")

django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter  # noqa: E402

application = ProtocolTypeRouter({"http": django_asgi_app})
