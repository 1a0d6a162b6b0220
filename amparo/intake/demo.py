"""Demo data for intake: each network's public report address, and a few reports from the form, the hotline and
news monitoring (no files; the evidence part adds media)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from amparo.demo import DemoContext
from amparo.incidents import codes
from amparo.intake import actions

WITNESS = [
    (
        "es",
        "Vi a cuatro agentes con chalecos que decían POLICE sacar a un hombre de una camioneta blanca.",
        "Home Depot, Av. Central",
    ),
    (
        "en",
        "Two unmarked SUVs parked outside the laundromat; agents asked people for papers.",
        "Laundromat on 3rd St",
    ),
]
CALLS = [
    ("critical", "Agentes en la puerta de la escuela primaria, una madre fue detenida.", "Escuela Lincoln"),
    (
        "observed",
        "Caller saw three agents at the bus stop earlier this morning, now gone.",
        "Bus stop, Main and 5th",
    ),
]
NEWS = (
    "https://news.example/local/immigration-arrests-car-wash",
    "Immigration agents detained five workers at a car wash on Tuesday, according to witnesses and a local pastor.",
)


def populate(ctx: DemoContext) -> None:
    now = timezone.now()
    for index, network in enumerate(ctx.networks):
        page = actions.page_for(network)
        ctx.lines.append(f"Public report form of {network.name}: /report/{page.slug}/")
        for n, (language, text, place) in enumerate(WITNESS * ctx.size):
            actions.do_create_report(
                network,
                {"text": text, "place_text": place, "claimed_time": now - timedelta(hours=3 + n)},
                channel=codes.Channel.WEB_FORM,
                language=language,
                reporter_role=codes.ReporterRole.WITNESS,
                followup_code=True,
                received_at=now - timedelta(hours=2 + n),
            )
        operator = ctx.member(network, "operator")
        for n, (priority, text, place) in enumerate(CALLS * ctx.size):
            actions.do_create_report(
                network,
                {"text": text, "place_text": place, "priority": priority, "agents_count_low": 3 + n},
                channel=codes.Channel.HOTLINE_VOICE,
                language="es" if index == 0 else "en",
                actor=operator.user,
                via="operator",
                received_at=now - timedelta(minutes=30 + 20 * n),
            )
        url, text = NEWS
        actions.do_create_report(
            network,
            {"text": text, "source_url": url, "published_at": now - timedelta(days=1)},
            channel=codes.Channel.NEWS,
            language="en",
            reporter_role=codes.ReporterRole.JOURNALIST,
            consent_uses=(),
            dedupe_hash=actions.content_hash(url, text),
            via="import",
        )
