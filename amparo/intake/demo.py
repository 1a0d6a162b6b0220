"""Demo data for intake: each network's public report address, and a few reports from the form, the hotline and
news monitoring, at the network's own places and in its language (no files; the evidence part adds media)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from amparo.demo import DemoContext
from amparo.incidents import codes
from amparo.intake import actions

# language -> (witness reports from the form, hotline calls, a news item); {place} is one of the network's places
WITNESS = {
    "es": [
        "Vi a cuatro agentes con chalecos que decían POLICE sacar a un hombre de una camioneta blanca.",
        "Dos camionetas sin placas estacionadas afuera; los agentes le pedían papeles a la gente.",
    ],
    "en": [
        "I saw four agents in vests marked POLICE pull a man out of a white van.",
        "Two unmarked SUVs parked outside; agents asked people for papers.",
    ],
}
CALLS = {
    "es": [
        ("critical", "Agentes en la puerta, una madre fue detenida delante de sus hijos."),
        (
            "observed",
            "La persona que llamó vio a tres agentes en la parada temprano en la mañana; ya se fueron.",
        ),
    ],
    "en": [
        ("critical", "Agents at the door, a mother was detained in front of her children."),
        ("observed", "Caller saw three agents at the bus stop earlier this morning, now gone."),
    ],
}
NEWS = {
    "es": (
        "https://noticias.example/inland-empire/detenciones-lavado-de-autos",
        "Agentes de inmigración detuvieron a cinco trabajadores en un lavado de autos de Riverside el martes, "
        "según testigos y un pastor de la zona.",
    ),
    "en": (
        "https://news.example/chicago/immigration-arrests-car-wash",
        "Immigration agents detained five workers at a car wash in Little Village on Tuesday, according to "
        "witnesses and a local pastor.",
    ),
}


def populate(ctx: DemoContext) -> None:
    now = timezone.now()
    for network in ctx.networks:
        story = ctx.story(network)
        lang = story.language
        page = actions.page_for(network)
        ctx.lines.append(f"Public report form of {network.name}: /report/{page.slug}/")
        for n, text in enumerate(WITNESS[lang] * ctx.size):
            place = story.places[n % len(story.places)]
            actions.do_create_report(
                network,
                {"text": text, "place_text": place.words, "claimed_time": now - timedelta(hours=3 + n)},
                channel=codes.Channel.WEB_FORM,
                language=lang,
                reporter_role=codes.ReporterRole.WITNESS,
                followup_code=True,
                received_at=now - timedelta(hours=2 + n),
            )
        operator = ctx.member(network, "operator")
        for n, (priority, text) in enumerate(CALLS[lang] * ctx.size):
            place = story.places[(n + 2) % len(story.places)]
            actions.do_create_report(
                network,
                {"text": text, "place_text": place.words, "priority": priority, "agents_count_low": 3 + n},
                channel=codes.Channel.HOTLINE_VOICE,
                language=lang,
                actor=operator.user,
                via="operator",
                received_at=now - timedelta(minutes=30 + 20 * n),
            )
        url, text = NEWS[lang]
        actions.do_create_report(
            network,
            {"text": text, "source_url": url, "published_at": now - timedelta(days=1)},
            channel=codes.Channel.NEWS,
            language=lang,
            reporter_role=codes.ReporterRole.JOURNALIST,
            consent_uses=(),
            dedupe_hash=actions.content_hash(url, text),
            via="import",
        )
