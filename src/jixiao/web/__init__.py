"""The web system: Django project and app for finance staff and reviewers (docs/architecture.md).

It sits on top of the core (model, scoring, audit, ingest, render) and adds no rules of its
own. ``python -m jixiao.web <command>`` is Django's manage.py; ``jixiao web`` sets up and serves.
"""
