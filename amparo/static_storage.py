"""How static files are stored for `amparo serve`: WhiteNoise's compressed manifest storage (gzip and Brotli copies,
content-hashed names a browser may keep for a year), minus the rewriting of source-map comments, because the vendored
libraries (Leaflet) ship without their .map files and a missing one would stop collectstatic."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(patterns: tuple) -> tuple:  # type: ignore[type-arg]  # Django's own nested tuples
    def keep(pattern: str | tuple[str, str]) -> bool:
        return "sourceMappingURL" not in (pattern if isinstance(pattern, str) else pattern[0])

    return tuple((glob, tuple(p for p in found if keep(p))) for glob, found in patterns)


class StaticStorage(CompressedManifestStaticFilesStorage):
    patterns = _without_source_maps(CompressedManifestStaticFilesStorage.patterns)
