"""The site's static files (CSS, scripts, icons) under names that carry a hash of their
content (``app.0994aff39e5a.css``, Django's ManifestStaticFilesStorage): WhiteNoise serves
such names with a ten-year ``Cache-Control: immutable``, so a browser asks for each file
once per version. ``collectstatic`` writes them and the manifest (``jixiao web`` runs it at
start, web/serve.py: about 0.6 s of CPU). Not pre-compressed: WhiteNoise's compressing
storage took 8.5 s of CPU at every start (brotli over echarts and the admin's files); the
front (deploy/nginx.conf) compresses.

Before any ``collectstatic`` (a fresh checkout, the tests, a benchmark in process) there is
no manifest: pages then name the files plainly and WhiteNoise serves them from the package
(``WHITENOISE_USE_FINDERS``)."""

from __future__ import annotations

from django.contrib.staticfiles.storage import ManifestStaticFilesStorage


class StaticStorage(ManifestStaticFilesStorage):
    def stored_name(self, name: str) -> str:
        if not self.hashed_files:  # no manifest yet: the plain name
            return name
        return str(super().stored_name(name))
