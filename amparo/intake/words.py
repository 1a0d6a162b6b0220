"""Follow-up codes: six random words, shown once to the witness, stored only as a keyed digest.

The words are in the witness's language: 256 short, distinct, concrete words each in English, Spanish and German
(8 bits a word), all typable on any phone keyboard: no capitals, no umlauts or ß (German words that need them are left out),
and Spanish words written without their accents or ñ, as people type them in a message (arbol, avion). A code carries 48 random bits in any language; guessing is further held
back by the follow-up page's rate limit. A code is read back case- and separator-insensitively, and a code in any of
the three languages is accepted wherever it is typed. The lists are this project's own.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from django.conf import settings

_BLOCK = """
    acorn actor adobe agent album alpha amber anchor angle apple april arch arrow aspen atlas attic
    autumn avenue bacon badge bagel baker bamboo banjo barley basil basin beach beacon bean bear beaver
    bell berry bicycle birch bison blanket bloom blue boat bonnet border bottle bowl branch bread breeze
    brick bridge brook brush bucket buffalo bugle button cabin cactus camel camera canal candle canoe canyon
    carbon cargo carpet carrot castle cedar cellar cement cereal chalk cherry chess chimney cider circle
    citrus clay cliff clock cloud clover coast cobalt cocoa comet copper coral cotton cougar crane crater
    crayon creek cricket crystal cuckoo daisy dancer delta denim desert diamond dingo dolphin domino donkey
    dragon drum dune eagle echo elbow ember engine falcon feather fern ferry fiddle field finch flame
    flute forest fossil fountain fox galaxy garden garlic gecko ginger glacier globe goat granite grape gravel
    guitar hammer harbor harvest hazel heron hill honey horizon husky igloo indigo island ivory jacket jaguar
    jasmine jelly jungle kayak kettle kiwi koala ladder lagoon lake lantern lemon lily lime linen lion
    llama lobster lotus lumber magnet mango maple marble meadow melon mesa meteor mint mirror mitten moose
    mosaic moss mountain muffin nectar nest nickel noodle nutmeg oasis ocean olive onion orbit orchid otter
    owl oyster paddle palm panda paper parrot pasta peach peanut pebble pecan pelican pepper piano pillow
    pine planet plum pony poppy potato prairie pumpkin quail quartz quilt rabbit radio raven reef ribbon
    river robin rocket saddle salmon sandal satin shell silver sketch sparrow spruce squash summit tulip walnut
    willow zebra
"""
_ES = """
    abeja abrigo aceite agua aguila ajo alba alce almendra alpaca amigo ancla anillo antena arbol arce arco
    arena arroz avena avion azucar bahia balcon ballena banco bandera barco barril barro baul bicicleta bigote
    bosque bota botella brisa bufanda buho burro caballo cabra cacao cactus cafe caja calabaza calle cama
    camello camino campana canela canoa cantaro caracol carbon carpa carreta casa cascada castillo cebolla cedro
    cereza cesta cielo ciruela cisne clavel cobre cohete colina cometa conejo copa coral cordero corona cortina
    cuaderno cuchara cuerda cueva cuna delfin desierto diamante dragon duna durazno elefante escoba espejo
    estrella faro flauta flor foca fresa fruta fuente galleta gallina ganso garza gato girasol globo gorila
    gorra granja grano grillo guitarra harina helado hierba higo hoja hormiga huerto huevo iglesia isla jabon
    jardin jarra jazmin jirafa juguete lago lampara lana lapiz laurel leche lechuga lengua lenteja leon libro
    lima limon lirio llave lluvia lobo loro luna madera maiz maleta manzana mapa mar mariposa martillo melon
    mesa miel mochila molino moneda mora mosaico mostaza nido nieve nube nuez ola oliva olla oro oruga oso oveja
    paja pajaro pala paloma pan panal pantano papel paraguas pasto pato pavo pera perla perro pescado piano
    piedra pimienta pino pinza pipa plata playa pluma pollo puente puerta pulpo queso rama rana raton red reloj
    rio roble roca rosa rueda sal salmon sandia sapo semilla serpiente silla sol sombrero sopa taza techo tejado
    telar tigre tijera tinta toro torre tortuga trigo trompeta trueno tucan tulipan uva vaca vaso vela ventana
    verano viento violin volcan yegua zanahoria zapato zorro
"""
_DE = """
    abend adler affe ahorn amsel anker apfel arche ast auto bach ball banane bank bart baum becher beere berg
    besen biber biene birne blatt blitz blume boden bogen bohne boot brief brille brot brunnen buch burg busch
    butter dach dackel dampf decke deich delfin distel dorf dose drache draht eiche eimer eis elch ente erbse
    erde esel eule fackel faden fahne falke farn feder fels fenster feuer fichte finger fisch flasche floh
    flugzeug fluss fohlen forelle frosch fuchs gabel gans garten geige gewitter gipfel glas glocke gras gurke
    hafen hafer hahn hammer hase hecht hecke heft helm hemd himmel hirsch honig horn hose huhn hund hut igel
    insel jacke kaffee kakao kamel kamm kanne kanu karte kater katze kegel kerze kessel kette kiefer kirsche
    kissen kiste klee knopf koffer kohl komet korb kran kranich kreide krone kuchen kugel kupfer lampe land
    laterne laub leder leiter lerche licht linde lineal luchs lupe mantel marder marmor mauer maus meer messer
    milch mond moos motte muschel nadel nagel nebel nest netz nuss ofen ohr onkel orgel otter palme papier
    pfanne pferd pflaume pilz pinsel pirat planet pony puppe quelle rabe rad radio rakete regen reh reis ring
    rock rose rubin sack salz sand sattel schaf schal schiff schild schnee schrank schuh see segel seil sessel
    sonne spaten spiegel stein stern stiefel storch strand strauch stuhl tanne tasche tasse taube teich teller
    tiger tisch tomate topf traube trommel tulpe turm ufer uhr vogel vulkan wagen wal wald wasser welle wiese
    wind wolke wolle wurzel zaun zebra ziege zimmer zitrone zwiebel
"""
WORDS: tuple[str, ...] = tuple(_BLOCK.split())  # English
LISTS: dict[str, tuple[str, ...]] = {"en": WORDS, "es": tuple(_ES.split()), "de": tuple(_DE.split())}
CODE_WORDS = 6


def new_code(language: str = "") -> str:
    """Six words in ``language`` (es, de or en; Spanish, the networks' first language, when unknown)."""
    words = LISTS.get((language or "").split("-")[0].lower(), LISTS["es"] if not language else WORDS)
    return "-".join(secrets.choice(words) for _ in range(CODE_WORDS))


def normalise(code: str) -> str:
    return "-".join(re.findall(r"[a-z]+", code.lower()))


def looks_like_code(code: str) -> bool:
    parts = normalise(code).split("-")
    return len(parts) == CODE_WORDS and all(p in _WORD_SET for p in parts)


def digest(code: str) -> str:
    """The keyed digest stored in Report.followup_digest; the code itself is never stored."""
    key = hmac.new(settings.SECRET_KEY.encode("utf-8"), b"amparo-followup-code", hashlib.sha256).digest()
    return hmac.new(key, normalise(code).encode("utf-8"), hashlib.sha256).hexdigest()


_WORD_SET = frozenset(w for words in LISTS.values() for w in words)
for _lang, _words in LISTS.items():
    assert len(_words) == 256 and len(set(_words)) == 256, (
        f"the {_lang} follow-up word list must hold 256 words"
    )
