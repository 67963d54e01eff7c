"""A server process made ready before it serves (`jixiao web`: in gunicorn's master, before
the workers are forked, ``--preload``; web/serve.py).

Without it each worker paid its first requests' one-time costs while users waited: the URL
configuration and the view modules imported, every Jinja2 template compiled (the form page's
first request took about 70 ms of CPU, most of it compiling `form_detail.jinja` and the
official layout's `form.html.j2`), the layouts, policies and static files' manifest read.
Only code and files of the installed package are read here, never the database: what a
worker learns from the database it reads itself, as before.

Then the garbage collector is told to leave every object made so far alone for good
(``gc.freeze``): Django, the templates and the layouts are hundreds of thousands of objects
that live as long as the process, and each full collection walked them all again (about a
tenth of a request's CPU on average, in pauses of tens of milliseconds). Frozen in the
master, they also stay shared between the forked workers instead of being copied into each
when a collection touches them.
"""

from __future__ import annotations

import gc
from pathlib import Path

WEB = Path(__file__).resolve().parent


def warm_up() -> None:
    """Import, compile and read what the pages need, close any database connection (none
    may cross a fork), then freeze the objects made so far out of the collector's reach."""
    from django.db import connections

    _load_code()
    connections.close_all()
    gc.collect()
    gc.freeze()


def _load_code() -> None:
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.template import engines
    from django.urls import get_resolver

    import jixiao.render.html as official
    import jixiao.render.reviewer  # noqa: F401  (the form page's notes beside the layout)
    from jixiao.layouts import all_layouts, plan_layouts
    from jixiao.policy import auto_policies
    from jixiao.web import core, form_cache

    get_resolver().url_patterns  # noqa: B018  (imports urls.py and with it every view)
    for engine in engines.all():
        env = getattr(engine, "env", None)
        if env is not None:  # Jinja2
            for name in env.list_templates(extensions=("jinja", "html")):
                env.get_template(name)
        else:  # Django's own engine: the templates of this app (not the admin's)
            folder = WEB / "templates"
            for path in sorted(folder.rglob("*.html")):
                engine.get_template(path.relative_to(folder).as_posix())
    official.template("form.html.j2")  # the form page's official layout
    official.stylesheet()
    all_layouts()
    plan_layouts()
    auto_policies()
    core.policy()
    form_cache.code_digest()  # the key of the form pages' kept parts
    staticfiles_storage.base_url  # noqa: B018  (the manifest of hashed names, read once)
