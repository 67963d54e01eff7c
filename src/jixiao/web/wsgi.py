"""WSGI entry point (gunicorn ``jixiao.web.wsgi:application``): Django set up, then the
process warmed (web/warm.py): `jixiao web` loads this module once in gunicorn's master
(``--preload``), so every worker forked from it starts warm."""

import os

from django.core.wsgi import get_wsgi_application

from jixiao.web.warm import warm_up

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
application = get_wsgi_application()
warm_up()
