"""Demo data for the public layer: none of its own; it rebuilds from the incidents the other parts made (runs last)."""

from __future__ import annotations

from amparo.demo import DemoContext
from amparo.public import anonymise


def populate(ctx: DemoContext) -> None:
    build = anonymise.rebuild()
    ctx.lines.append(
        f"Public layer: {build.published} incidents published at /public/ "
        f"({build.embargoed} under embargo, {build.suppressed} held back as small cells)."
    )
