"""Keyword lexicons (English, Spanish, German) for location types (DOMAIN.md §5.3) and agencies."""

from __future__ import annotations

import re

from amparo.extract.text import lower_source

__all__ = [
    "ACTION",
    "AGENCY_ACRONYMS",
    "AGENCY_ASSISTED",
    "AGENCY_DENIED",
    "AGENCY_DENIED_BEFORE",
    "AGENCY_LABEL_AFTER",
    "AGENCY_LABEL_BEFORE",
    "AGENCY_NAMES",
    "AGENCY_PASSING_AFTER",
    "AGENCY_PASSING_BEFORE",
    "AGENCY_POLICY",
    "AGENCY_SILENT",
    "AGENCY_SUPPORT",
    "LOCATION",
    "LOCATION_ADDRESS_BEFORE",
    "LOCATION_ASIDE",
    "LOCATION_AT_BEFORE",
    "LOCATION_AT_WORK",
    "LOCATION_DESCRIBES_AFTER",
    "LOCATION_DESCRIBES_BEFORE",
    "LOCATION_ELSEWHERE_AFTER",
    "LOCATION_ELSEWHERE_BEFORE",
    "LOCATION_HANDOVER",
    "LOCATION_HELD_NOW",
    "LOCATION_LANDMARK_BEFORE",
    "LOCATION_OF_AFTER",
    "LOCATION_WEIGHT",
    "LOCATION_WORKERS",
    "LOCATION_WORKPLACE_AFTER",
    "OTHER_TIME",
    "PARKING",
    "PROTECTED",
]

# Order matters: at one position the first group that matches wins, so specific phrases come before general ones
# ("school bus stop" before "school", "Home Depot" before "home", "immigration court" before anything else).
_LOCATION_TERMS: list[tuple[str, str]] = [
    ("children_gather", r"school\s+bus(?:\s+stop)?|playgrounds?|rec(?:reation)?\s+cent(?:er|re)|day\s?care|"
     r"child\s?care|after[- ]school|foster\s+home|group\s+home|youth\s+cent(?:er|re)|parque\s+infantil|guarder[ií]a|"
     r"centro\s+recreativo|autob[uú]s\s+escolar|spielpl[äa]tz\w*|kita|kindertagesst[äa]tte|jugendzentrum|schulbus\w*"),
    ("day_labor_site", r"home\s+depot|lowe['\u2019]?s|menards|"
     # Men waiting to be hired: the place is a day-labour site whatever it is otherwise.
     r"(?:wait(?:ing|ed|s)?|looking)\s+for\s+work|esperando\s+(?:trabajo|chamba)|warte(?:n|ten)?\s+auf\s+arbeit|day[- ]labou?r(?:ers?)?(?:\s+(?:site|corner|center))?|"
     r"esquina\s+de\s+(?:los\s+)?jornaleros|jornaleros?|tagel[öo]hner\w*|baum[äa]rkt\w*"),
    ("courthouse_immigration", r"immigration\s+court(?:house)?|eoir|immigration\s+(?:hearing|judge)|"
     r"(?:corte|tribunal)\s+de\s+inmigraci[oó]n|audiencia\s+(?:de|ante\s+la\s+corte\s+de)\s+inmigraci[oó]n|"
     r"juez\s+de\s+inmigraci[oó]n|(?:einwanderungs|immigrations)gericht\w*"),
    ("courthouse_criminal", r"criminal\s+court(?:house)?|municipal\s+court|traffic\s+court|county\s+courthouse|"
     r"courthouse|court\s+house|gerichtsgeb[äa]ude|juzgado|"
     r"hall\s+of\s+justice|superior\s+court|palacio\s+de\s+justicia|(?:tribunal|corte|juzgado)\s+del\s+condado|"
     r"(?:trial|district|justice|magistrate|county|circuit)\s+court|"
     r"(?:corte|tribunal)\s+(?:penal|municipal)|strafgericht\w*|amtsgericht\w*"),
    ("courthouse_noncriminal", r"family\s+court|civil\s+court|small[- ]claims\s+court|"
     r"(?:corte|tribunal)\s+(?:de\s+)?familia(?:r)?|(?:corte|tribunal)\s+civil|familiengericht\w*|zivilgericht\w*"),
    ("ice_checkin", r"ice\s+(?:field\s+)?office|ero\s+office|check-?ins?|isap|field\s+office|"
     r"(?:oficinas?|cita)\s+(?:de|con)\s+(?:ice|inmigraci[oó]n)|cita\s+de\s+control|registro\s+con\s+ice|"
     r"meldetermin\w*|ice-(?:b[üu]ro|au[ßs]enstelle|dienststelle)\w*"),
    ("uscis_office", r"uscis|green\s+card\s+interview|biometrics?\s+appointment|naturali[sz]ation\s+interview|"
     r"citizenship\s+interview|entrevista\s+de\s+(?:residencia|ciudadan[ií]a)|cita\s+de\s+biom[eé]tricos|"
     r"einb[üu]rgerungs\w+"),
    ("jail_transfer", r"county\s+jail|jail|prison|released\s+from\s+custody|287\(g\)|detainer|c[áa]rcel|prisi[oó]n|"
     r"\w*gef[äa]ngnis\w*|haftanstalt\w*|justizvollzugsanstalt\w*|untersuchungshaft"),
    ("probation_parole", r"probation(?:\s+(?:office|officer|appointment))?|parole\s+(?:office|officer)|"
     r"libertad\s+condicional|oficial\s+de\s+libertad\s+condicional|bew[äa]hrungs\w+"),
    ("school", r"(?:school['\u2019]s\s+)?drop-?off(?:\s+line)?|pick-?up\s+line|carpool\s+line|schools?|elementary|high\s+school|college|university|campus|preschool|kindergarten|escuelas?|"
     r"colegio|universidad|preparatoria|secundaria|primaria|kínder|\w*schule[ns]?|universit[äa]t|hochschule"),
    ("healthcare", r"hospital|clinic|medical\s+cent(?:er|re)|urgent\s+care|doctor['\u2019]s\s+office|health\s+cent(?:er|re)|"
     r"emergency\s+room|cl[ií]nica|centro\s+de\s+salud|consultorio|sala\s+de\s+emergencias|krankenhaus\w*|klinik\w*|"
     r"arztpraxis|notaufnahme|gesundheitszentrum\w*|wartezimmer"),
    ("place_of_worship", r"church(?:es)?|cathedral|mosque|synagogue|temple|chapel|parish|iglesia|parroquia|catedral|"
     r"capilla|templo|mezquita|\w*kirche\w*|moschee\w*|synagoge\w*|kapelle\w*"),
    ("disaster_relief", r"evacuation\s+(?:cent(?:er|re)|route|site|shelter)|emergency\s+shelter|disaster\s+relief|"
     r"relief\s+(?:site|center)|distribution\s+site|hurricane\s+shelter|centro\s+de\s+evacuaci[oó]n|"
     r"refugio\s+de\s+emergencia|albergue\s+temporal|damnificad[oa]s|centros?\s+de\s+distribuci[oó]n|evakuierungs\w+|"
     r"notunterkunft(?!\s+f[üu]r\s+obdachlose)|katastrophen\w+"),
    ("social_services", r"shelters?|food\s+(?:bank|pantry)|community\s+cent(?:er|re)|refugio|albergue|"
     r"legal\s+clinic|cl[ií]nica\s+legal|"
     r"settlement\s+house|rescue\s+mission|respite\s+cent(?:er|re)|casa\s+del\s+migrante|"
     r"banco\s+de\s+(?:comida|alimentos)|despensa|centro\s+comunitario|obdachlosen\w+|tafel|frauenhaus|"
     r"beratungsstelle|gemeindezentrum|suppenk[üu]che|soup\s+kitchen|homeless\s+shelter|"
     r"comedor\s+(?:social|comunitario|de\s+beneficencia)|notunterkunft|obdachlose\w*"),
    ("ceremony", r"funeral\s+home|funeraria|velaban|velatorio|bestattungsinstitut\w*|trauerhalle|funeral|wedding|burial|graveside|cemetery|graveyard|cementerio|pante[óo]n|friedhof\w*|rosary|quincea[ñn]era|baptism|memorial\s+service|boda|velorio|"
     r"sepelio|entierro|rosario|bautizo|beerdigung|trauerfeier|hochzeit|taufe|begr[äa]bnis"),
    ("demonstration", r"protests?|demonstrations?|rall(?:y|ies)|marches|(?:a|the|peaceful|protest)\s+march(?![\s.]*\d)|"
     r"vigil|parade|marcha|manifestaci[oó]n|protesta|desfile|vigilia|kundgebung|demo|mahnwache|protesten|"
     r"demonstrationen?"),
    ("hotel", r"hotel|motel|hostal|pension|holiday\s+inn|days\s+inn|red\s+roof\s+inn|best\s+western|super\s+8|inn|"
     r"extended[- ]stay"),
    ("airport_port", r"airport|port\s+of\s+entry|checkpoint|puesto\s+de\s+control|puesto\s+fronterizo|border\s+crossing|aeropuerto|garita|"
     r"puerto\s+de\s+entrada|ret[eé]n|punto\s+de\s+control|flughafen|grenz[üu]bergang|kontrollpunkt|"
     r"puente\s+internacional|international\s+bridge|grenzbr[üu]cke|secondary\s+inspection|revisi[oó]n\s+secundaria"),
    ("transit", r"bus\s+(?:station|terminal)|train\s+station|subway|metro\s+station|light\s+rail|transit\s+cent(?:er|re)|"
     r"(?:on|aboard)\s+a\s+(?:city\s+)?bus|greyhound|amtrak|estaci[oó]n\s+de\s+(?:autobuses|tren|metro)|"
     r"metro(?!\s+(?:police|polic[ií]a|polizei|officers?))|"
     r"central\s+de\s+autobuses|tren\s+ligero|bahnhof|u-bahn\w*|s-bahn\w*|busbahnhof|stra[ßs]enbahn|"
     r"(?:the|a)\s+(?:\w\s+)?train|platform|and[ée]n|bahnsteig|del\s+tren|boarded\s+(?:a|the)\s+bus|bus\s+carrying|"
     r"abordaron\s+(?:un|el)\s+autob[uú]s|"
     # A bus by its route ("the route 1 bus") or with people taken off it.
     r"(?:route|line|number|no\.?)\s*\d+\s+bus|(?:the|a)\s+\d+\s+bus|(?:off|aboard)\s+(?:the|a)\s+(?:city\s+)?bus(?!\s+stop)|city\s+bus|"
     r"linienbus\w*|bus\s+der\s+linie|aus\s+dem\s+bus|"
     r"(?<!parada\s)(?:del|en\s+el)\s+autob[uú]s(?!\s+escolar)|cami[oó]n\s+de\s+la\s+ruta|ruta\s+\d+"),
    ("vehicle_stop", r"traffic\s+stop|pulled\s+(?:him|her|them|the\s+\w+)\s+over|pulled\s+over|vehicle\s+stop|"
     r"stopped\s+(?:his|her|their)\s+(?:car|truck|van|vehicle)|pursuit|"
     r"parada\s+de\s+tr[áa]fico|control\s+de\s+tr[áa]fico|detuvieron\s+su\s+(?:auto|carro|coche|camioneta|veh[íi]culo)|"
     r"persecuci[oó]n|verkehrskontrolle\w*|fahrzeugkontrolle|verfolgungsjagd|"
     r"stopped\s+(?:a|the|an|their|his|her|dozens\s+of)\s+(?:\w+\s+){0,3}?(?:cars?|trucks?|vans?|vehicles?|pickups?|suvs?)|"
     r"boxed\s+in|boxing\s+(?:it|them|him|her)\s+in|driver['\u2019]s\s+seat|traffic\s+enforcement|"
     r"traffic\s+(?:operation|sweep|checkpoint)s?|stopped\s+(?:cars|vehicles|drivers|motorists|trucks)|"
     r"(?:par[óo]|pararon|detuvieron)\s+(?:a\s+)?(?:una|un|el|la|su)\s+(?:van|camioneta|carro|auto|coche|troca)|"
     r"(?:par[óo]|pararon|detuvo|detuvieron)\s+(?:(?!a\s)[\w-]+\s+){1,5}?(?:una|un|el|la|su)\s+(?:van|camioneta|carro|auto|coche|troca|veh[íi]culo)|"
     r"(?:car|truck|van|vehicle|pickup|suv|sedan)\s+(?:was|were)\s+(?:stopped|pulled\s+over)|while\s+(?:(?:he|she|they)\s+(?:was|were)\s+)?driving|"
     r"mientras\s+(?:manejaba|conduc[íi]a)|(?:auto|wagen|fahrzeug|transporter|lieferwagen|pick-?up)\w*\s+(?:\S+\s+){0,4}?angehalten|"
     r"hielten\s+(?:\S+\s+){0,3}?(?:auto|wagen|fahrzeug|transporter|lieferwagen|pick-?up)\w*\s+(?:\S+\s+){0,5}?an|stoppten|"
     r"(?:lo|la|los|las)\s+par(?:[óo]|aron)|cerr[óo]\s+el\s+paso|les\s+cerr\w+\s+el\s+paso|bajaron\s+del\s+(?:carro|auto|coche)|auto\s+(?:eines|des)\s+\S+\s+gestoppt|das\s+auto\s+\S+\s+gestoppt|gestoppt"),
    ("worksite", r"(?:restaurant|car\s?wash)\s+(?:workers|employees)|taller(?:\s+mec[áa]nico)?|auto\s*shop|"
     r"repair\s+shop|(?:auto|kfz-?)?werkstatt\w*|vivero|weingut\w*|g[äa]rtnerei|plant\s+nursery|worksite|work\s+site|job\s+site|"
     r"construction\s+site|farms?|dairy|factory|warehouse|meatpacking|packing\s+plant|processing\s+plant|"
     r"obra(?:\s+de\s+construcci[oó]n)?|f[áa]brica|planta\s+empacadora|empacadora|granja|rancho|campos?\s+agr[ií]colas|"
     r"planta\s+(?:av[íi]cola|procesadora|industrial|de\s+(?:procesamiento|carne|pollo|empaque)|manufacturera)|av[íi]cola|"
     r"vi[ñn]edos?|vi[ñn]as?|vineyards?|weinberg\w*|lagerhaus\w*|almac[eé]n|lugar\s+de\s+trabajo|baustelle\w*|fabrik\w*|lagerhalle\w*|arbeitsplatz\w*|schlachthof\w*|farmbetrieb\w*|bauernhof\w*|"
     r"campos?\s+de\s+\w+|surcos|fields?|orchards?|plant|fleischverarbeitungsbetrieb|\w*betrieb|"
     r"(?:company|contractor|business|firm)['\u2019]?s?\s+(?:yard|lot|premises|shop|site)|"
     r"(?:construction|lumber|storage|equipment|truck|landscaping|roofing)\s+(?:yard|company)|"
     r"(?:yard|patio|taller)\s+de\s+(?:la|una)\s+(?:empresa|compa[ñn][íi]a)|firmengel[äa]nde|betriebsgel[äa]nde"),
    ("commercial_retail", r"bodegas?|stores?|shop|supermarket|grocery|market|mall|gas\s+station|car\s?wash(?:es)?|restaurant|"
     r"(?:auto|car)\s+spa|detail(?:ing)?\s+shop|"
     # Chains by name ("in front of the Dollar General"): a store whatever the street it is on.
     r"dollar\s+(?:general|tree)|family\s+dollar|walgreens|cvs|7-eleven|circle\s+k|quiktrip|kroger|publix|h-e-b|meijer|"
     r"target\s+(?:store|parking\s+lot)|food\s+4\s+less|el\s+super|vallarta|fiesta\s+mart|cardenas|save\s+mart|winco|"
     r"stop\s+&\s+shop|market\s+basket|food\s+city|aldi|safeway|albertsons|wawa|sheetz|mcdonald['\u2019]?s|"
     r"taquer[ií]a|walmart|costco|swap\s+meet|pulga|tianguis|flea\s+market|laundromat|bakery|panader[ií]a|tienda|supermercado|"
     r"mercado|centro\s+comercial|gasolinera|lavado\s+de\s+autos|restaurante|lavander[ií]a|supermarkt\w*|gesch[äa]ft\w*|"
     r"einkaufszentrum\w*|tankstelle\w*|autowaschanlage\w*|markt(?:es|s)?|m[äa]rkte|b[äa]ckerei\w*|waschsalon\w*|"
     r"lebensmittelladen\w*|laden|ladens|restaurants?|imbiss\w*|tiendas|mercados|tiendita"),
    ("street_public", r"bus\s+stop|street|\d+(?:st|nd|rd|th)\s+(?:st|ave)|(?:ave|avenue|blvd|boulevard|highway|hwy)|sidewalk|public\s+square|corner|intersection|parking\s+lot|park|"
     r"walking\s+(?:home|to\s+work)|heimweg|caminando|en\s+la\s+parada|esperando\s+el\s+autob[uú]s|"
     r"waiting\s+for\s+the\s+(?:[\w-]+\s+)?bus|"
     r"calle|banqueta|acera|esquina|parada\s+de(?:l)?\s+autob[uú]s|v[íi]a\s+p[úu]blica|plaza|estacionamiento|"
     r"stra[ßs]e|stra[ßs]enecke|gehweg\w*|b[üu]rgersteig\w*|bushaltestelle\w*|kreuzung\w*|parkplatz\w*"),
    ("other", r"library|campground|campsite|beach|boat\s+ramp|biblioteca|playa|campamento|bibliothek|campingplatz|strand"),
    ("residence", r"(?:knock\w*|banged|pounded)\s+on\s+(?:the|their|his|her|my|our)\s+(?:front\s+)?door|"
     r"(?:tocaron|golpearon|tocaban)\s+(?:a\s+)?la\s+puerta|klopften\s+an\s+(?:die|der)\s+(?:\w+)?t[üu]r|"
     r"(?:my|our)\s+building|(?:mi|nuestro)\s+edificio|edificio\s+de\s+apartamentos|homes?|house|apartments?|apartment\s+complex|residence|driveway|front\s+yard|backyard|doorstep|"
     r"front\s+door|porch|trailer\s+park|casa|hogar|domicilio|vivienda|apartamentos?|departamento|"
     r"wohnung\w*|wohnhaus\w*|zuhause|hauseingang\w*|haust[üu]r\w*|wohnanlage\w*|vorgarten\w*|einfahrt\w*|haus(?:es)?|wohnblock\w*|"
     r"wohnkomplex\w*|mehrfamilienhaus\w*|h[äa]usern|triple-decker|duplex|apartmentkomplex\w*|"
     # Kinds of home with no "house" in them, and a door knocked on told in the infinitive.
     r"(?:two|three|four)-flat|(?:two|three|multi)-family\s+(?:house|home)|triplex|fourplex|row\s?house|townhouse|"
     r"tr[áa]iler|(?:my|his|her|their|our)\s+trailer|casa\s+m[óo]vil|"
     r"mobile\s+home|(?:vinieron|fueron|llegaron)\s+a\s+tocar\s+(?:a\s+)?la\s+puerta"),
]  # fmt: skip

# Run on same_length_lower() text.
LOCATION = re.compile(
    r"\b(?:" + "|".join(rf"(?P<{code}>(?:{lower_source(terms)})\b)" for code, terms in _LOCATION_TERMS) + ")"
)
# How much one keyword says about where the event happened; generic places count for less.
LOCATION_WEIGHT = (
    {code: 1.0 for code, _ in _LOCATION_TERMS}
    | {
        "street_public": 0.7,
        "vehicle_stop": 1.1,  # a stopped car is the place even after a ceremony or next to a home (docs/extract.md)
        "residence": 0.8,
        "commercial_retail": 0.85,
        "jail_transfer": 0.9,
        "other": 0.6,
    }
)

# Case-sensitive acronyms. CBP_BARE is "CBP" alone: the caller decides between Border Patrol and Field Operations.
_ACRONYMS: list[tuple[str, str]] = [
    ("ICE_ERO", r"ICE\s+ERO|ERO"),
    ("ICE_HSI", r"ICE\s+HSI|HSI"),
    ("ICE_UNSPECIFIED", r"ICE"),
    ("CBP_OFO", r"OFO|CBP[\s-]+(?:officers?|Beamte\w*)|(?:oficiales|funcionarios)\s+de\s+(?:la\s+)?CBP"),
    ("CBP_USBP", r"USBP|BORTAC"),
    ("CBP_BARE", r"CBP"),
    ("DHS_FPS", r"FPS"),
    ("FBI", r"FBI"),
    ("DEA", r"DEA"),
    ("ATF", r"ATF"),
    ("USMS", r"USMS"),
    ("IRS_CI", r"IRS"),
    ("STATE_POLICE", r"CHP|DPS"),
    ("LOCAL_POLICE", r"[A-Z]{1,4}PD"),
]
AGENCY_ACRONYMS = re.compile(
    r"\b(?:" + "|".join(rf"(?P<{code}>(?:{terms})\b)" for code, terms in _ACRONYMS) + ")"
)

_NAMES: list[tuple[str, str]] = [
    ("ICE_ERO", r"enforcement\s+and\s+removal\s+operations|deportation\s+officers?|oficiales\s+de\s+deportaci[oó]n"),
    ("ICE_HSI", r"homeland\s+security\s+investigations|investigaciones\s+de\s+seguridad\s+nacional"),
    ("ICE_UNSPECIFIED", r"immigration\s+and\s+customs\s+enforcement|servicio\s+de\s+inmigraci[oó]n\s+y\s+control"
     r"\s+de\s+aduanas|einwanderungsbeh[öo]rde|immigrationsbeh[öo]rde|einwanderungs-\s+und\s+zollbeh[öo]rde"),
    # Words for immigration enforcement in general ("la migra", "immigration agents"): ICE unless the text names
    # the agency they belong to (Border Patrol, ERO ...); the caller decides.
    ("IMMIGRATION_GENERIC", r"(?:federal\s+)?immigration\s+(?:agents?|officers?|officials)|la\s+migra|migra|"
     r"agentes\s+de\s+(?:inmigraci[oó]n|la\s+migra|migraci[oó]n)|los\s+de\s+(?:la\s+)?migraci[oó]n|"
     r"einwanderungsbeamte\w*|immigrationsbeamte\w*"),
    ("CBP_BARE", r"customs\s+and\s+border\s+protection|aduanas\s+y\s+protecci[oó]n\s+fronteriza|"
     r"(?:us-)?zoll-\s+und\s+grenzschutzbeh[öo]rde|grenz-\s+und\s+zollschutzbeh[öo]rde|zoll-\s+und\s+grenzschutz"),
    ("CBP_USBP", r"border\s+patrol|patrulla\s+fronteriza|grenzschutz\w*|grenzpolizei|us-grenzpolizei|la\s+border|"
     r"grenzsch[üu]tzer\w*"),
    ("CBP_OFO", r"office\s+of\s+field\s+operations"),
    ("DHS_FPS", r"federal\s+protective\s+service|servicio\s+federal\s+de\s+protecci[oó]n"),
    ("FBI", r"federal\s+bureau\s+of\s+investigation"),
    ("DEA", r"drug\s+enforcement\s+administration"),
    ("ATF", r"bureau\s+of\s+alcohol,?\s+tobacco"),
    ("USMS", r"(?:u\.?s\.?\s+)?marshals?\s+service|u\.?s\.?\s+marshals|alguaciles\s+federales|us-marshals"),
    ("NATIONAL_GUARD_FEDERALIZED", r"federali[sz]ed\s+national\s+guard|guardia\s+nacional\s+federalizada|"
     r"f[öo]derali\w+\s+nationalgarde"),
    ("NATIONAL_GUARD_STATE", r"national\s+guard|guardia\s+nacional|nationalgarde"),
    ("MILITARY_ACTIVE", r"marines|active[- ]duty\s+(?:troops|soldiers)|infantes\s+de\s+marina|aktive\s+soldaten|us-soldaten"),
    ("CAMPUS_POLICE", r"campus\s+police|university\s+police|polic[ií]a\s+universitaria|campuspolizei"),
    ("STATE_POLICE", r"state\s+(?:police|troopers?|patrol)|highway\s+patrol|department\s+of\s+public\s+safety|"
     r"polic[ií]a\s+estatal|patrulla\s+de\s+caminos|landespolizei|staatspolizei|"
     r"departamento\s+de\s+seguridad\s+p[úu]blica|autobahnpolizei|highway-patrol"),
    ("SHERIFF", r"sheriff(?:['\u2019]s)?(?:\s+(?:office|deputies|department))?|alguacil(?:es)?|"
     r"oficina\s+del\s+sheriff|sheriffb[üu]ro|deputies|sheriffs|deputys|hilfssheriffs?|sheriff-?(?:beamte\w*|b[üu]ros?)"),
    ("PRIVATE_CONTRACTOR", r"geo\s+group|corecivic|private\s+contractors?|contratistas?\s+privad[oa]s?"),
    ("UNKNOWN_FEDERAL", r"federal\s+(?:agents|officers)|agentes\s+federales|bundesagenten"),
    ("LOCAL_POLICE", r"cops?|police(?:\s+(?:department|officers?))?|polic[ií]a(?:\s+(?:local|municipal))?|polizei\w*|"
     r"polizisten"),
]  # fmt: skip
# Run on same_length_lower() text.
AGENCY_NAMES = re.compile(
    r"\b(?:" + "|".join(rf"(?P<{code}>(?:{lower_source(terms)})\b)" for code, terms in _NAMES) + ")"
)


# After an agency's mention, in the same sentence: it says it did not take part, or did not answer.
AGENCY_DENIED = re.compile(
    r"\b(?:(?:was|were|are|is)\s+not\s+(?:involved|present|there|around|on\s+(?:the\s+)?scene|at\s+the\s+scene|"
    r"(?:called|asked|notified|informed|contacted|told))|(?:had|took|played)\s+no\s+(?:part|role)|no\s+part\s+in|"
    r"(?:received|got|had)\s+no\s+(?:request|call)|(?:did\s+not|didn['\u2019]t)\s+(?:know|receive\s+a\s+request)|"
    r"knew\s+nothing|no\s+(?:fue|fueron)\s+(?:notificad|llamad|informad|avisad)[oa]s?|no\s+sab[íi]an?\s+nada|"
    r"no\s+estuvieron\s+presentes|(?:nix|nichts)\s+davon|nicht\s+(?:da|vor\s+ort|anwesend)\b|"
    r"(?:wasn|weren)['\u2019]t\s+(?:involved|present|there|them)|"
    r"it\s+wasn['\u2019]t\s+them|no\s+role|did\s+not\s+(?:participate|take\s+part|assist)|didn['\u2019]t\s+(?:participate|take\s+part)|"
    r"none\s+of\s+(?:its|their|our|his)\s+(?:agents|officers|deputies)|denied\s+(?:any\s+)?(?:involvement|taking\s+part|participating)|"
    # "no tenía conocimiento del operativo", "dijo no haber sido notificada", "ninguno de sus oficiales participó",
    # "el policía nomás miraba", "sie arbeite nicht mit ICE zusammen".
    r"no\s+(?:ten[íi]an?|tuvo|tuvieron)\s+(?:\w+\s+)?conocimiento|no\s+haber\s+sido\s+(?:notificad|informad|avisad)[oa]s?|"
    r"no\s+ten[íi]an?\s+nada\s+que\s+ver|ninguno\s+de\s+sus\s+(?:oficiales|agentes|elementos|polic[íi]as)|"
    r"(?:nom[áa]s|solo|s[óo]lo)\s+miraba|no\s+hizo\s+nada|arbeite\w*\s+nicht\s+mit|"
    r"had\s+nothing\s+to\s+do|"
    r"no\s+(?:particip[óo]|intervino|estuvo\s+presente)|no\s+tuvo\s+nada\s+que\s+ver|"
    r"(?:nicht|weder\s+informiert\s+noch)\s+beteiligt|sich\s+nicht\s+beteiligt|wusste\s+(?:angeblich\s+)?von\s+nichts|"
    r"nicht\s+informiert|keine\s+rolle|"
    # Present but not acting: "watched and did not intervene", "the deputy just watched", "made no arrests".
    r"(?:did\s+not|didn['\u2019]t|never)\s+(?:intervene|step\s+in|stop\s+them|help\s+them)|(?:just|only)\s+(?:watched|stood)|"
    r"made\s+no\s+arrests|monitored|(?:had|has|have)\s+no\s+involvement|no\s+involvement|arrived\s+after|"
    r"no\s+intervin\w+|s[óo]lo\s+(?:miraban|miraron|observaban|observaron)|griffen?\s+nicht\s+ein|sahen?\s+(?:nur\s+)?zu\b|"
    # Told afterwards, not seen, only informed: "learned of the arrests afterward", "lediglich informiert".
    r"learned\s+of\s+(?:\w+\s+){0,3}?(?:afterwards?|later)|(?:were|was)\s+not\s+seen|not\s+seen|"
    r"(?:had|has|have)\s+not\s+(?:participated|taken\s+part|been\s+involved)|no\s+particip(?:[óo]|aron)|"
    r"nicht\s+eingebunden|(?:lediglich|nur|only|solo)\s+(?:\w+\s+){0,3}?(?:informiert|notified|informed|avisad[oa]s?))"
)
# After a mention: the agency did not answer. Only asked, so not at the incident; not a denial either.
AGENCY_SILENT = re.compile(
    r"\b(?:did\s+not\s+(?:respond|answer|return|immediately\s+respond)|declined\s+to\s+comment|"
    r"no\s+(?:respondi[óo]|quiso\s+comentar)|[äa]u[ßs]erte\s+sich\s+(?:\w+\s+){0,3}?nicht|reagierte\s+nicht|"
    r"no\s+tienen?\s+informaci[óo]n|had\s+no\s+information|keine\s+informationen|"
    r"(?:have|has)\s+not\s+(?:yet\s+)?(?:answered|responded|returned)|(?:haven|hasn)['\u2019]?t\s+(?:answered|responded)|"
    r"no\s+(?:ha|han)\s+respondido)"
)
# Before a mention, in the same sentence: it was not them ("NO fue migra", "it wasn't ICE", "nicht ICE").
AGENCY_DENIED_BEFORE = re.compile(
    r"\b(?:nadie\s+de|nobody\s+from|no\s+one\s+from|niemand\s+von|no\s+(?:fue|era|eran|es|son)|(?:was|were|is|it['\u2019]s)\s+not|(?:wasn|weren|isn)['\u2019]t|not|"
    r"war(?:en)?\s+nicht|(?:es\s+)?waren\s+keine|kein(?:e|en)?|fake|pretend|actors?\s+(?:playing|dressed\s+as)|"
    r"falsa|falsos|disfrazad[oa]s\s+de)\s+(?:(?:the|la|el|los|las|die|der)\s+)?$|"
    # "it's not an Elgin police operation": a town's name between.
    r"\b(?:it['\u2019]?s|it\s+is|it\s+was|this\s+is|this\s+was)\s+not\s+(?:an?|the)\s+[\w'\u2019-]+\s+$"
)
# After a denial in the same sentence, what the agency still did: "sie sei nicht beteiligt gewesen und habe nur
# Straßen gesperrt" (blocking traffic is taking part, docs/extract.md).
AGENCY_ASSISTED = re.compile(
    r"\b(?:only|just|merely|but|nur|lediglich|aber|solo|s[óo]lo|pero)\b[^.!?]{0,40}?\b(?:block\w*|clos(?:ed|ing)|"
    r"direct\w*\s+traffic|divert\w*|secur\w*\s+the\s+(?:perimeter|area|scene)|control\w*\s+traffic|"
    r"gesperrt|sperrten|abgesperrt|umgeleitet|leiteten|gesichert|sicherten|abgesichert|"
    r"cerr(?:[óo]|aron|aba|aban|ando)|desvi(?:[óo]|aron|aba|aban)|asegur(?:[óo]|aron)|dirig(?:[ií]a|[ií]an|i[óo]|ieron))"
)
# Just before a mention of the police: the word is a label on someone else's vest, not the police department.
AGENCY_LABEL_BEFORE = re.compile(
    r"(?:\b(?:said|saying|say|says|marked|read|reading|dec[ií]an|dec[ií]a|dicen|aufschrift)\s*[\"'“]?|[\"'“]|"
    # A ruse: "dijeron que eran policía", "told him they were police", "posing as police", "gaben sich als Polizisten aus".
    r"\b(?:said|claimed|pretended|identified\s+themselves)\s+(?:that\s+)?(?:they\s+were|to\s+be|as)\s+|"
    r"\b(?:posing|posed)\s+as\s+|\b(?:dijeron|dijo|dec[ií]an|gritaban|gritaron|grit[óo])\s+(?:que\s+)?(?:eran|era|ser)\s+(?:de\s+)?|"
    r"\bse\s+(?:hicieron\s+pasar|identificaron)\s+(?:por|como)\s+|\bgaben\s+sich\s+(?:\w+\s+)?als\s+|"
    r"\b(?:called|call|phoned|rang|llam[óo]\s+a|llamaron\s+a|rief|riefen)\s+(?:the\s+|la\s+|die\s+)?"
    r"(?:[\w'\u2019-]+\s+)?)\s*$"
)
# Just before a mention: an inquiry by, a building of, the locator of the agency.
AGENCY_PASSING_BEFORE = re.compile(
    r"\b(?:investigation\s+by|inquiry\s+by|investigaci[óo]n\s+(?:de|por)|untersuchung\s+durch|"
    r"agreement\s+with|acuerdo\s+(?:[\w()]+\s+){0,3}con|abkommen\s+mit|cooperat\w+\s+with|cooperar\s+con|"
    r"zusammenarbeit\s+mit|"
    r"geb[äa]ude\s+der|edificio\s+del?|building\s+of)\s+(?:the\s+|la\s+|el\s+|die\s+|der\s+)?(?:us-)?$"
)
# A sentence about a law or policy: its agencies are not the ones at the incident unless it also reports an arrest.
# Just after a mention: "ICE detainers" are a jail's paperwork, not ICE at the scene.
AGENCY_PASSING_AFTER = re.compile(r"\s+(?:detainers?|holds?)\b")
# Just after a mention of the police: a word printed on the agents ("POLICE on the back", "en la espalda").
AGENCY_LABEL_AFTER = re.compile(
    r"\s+(?:on\s+(?:the|their|his|her)\s+(?:back|backs|front|vests?|jackets?|chest)|en\s+la\s+espalda|"
    r"auf\s+dem\s+r[üu]cken)\b"
)
# A helping act anywhere in a sentence that denies arrests: "troopers helped with traffic but made no arrests".
AGENCY_SUPPORT = re.compile(
    r"\b(?:helped\s+with\s+traffic|direct\w*\s+traffic|traffic\s+control|block\w*\s+(?:the\s+)?(?:street|road|exits?|gates?)|"
    r"clos\w*\s+the\s+(?:street|road)|cerr\w*\s+la\s+calle|sperrt\w*|umgeleitet)\b"
)
AGENCY_POLICY = re.compile(r"\b(?:law|bill|ordinance|policy|ley|ordenanza|\w*gesetz\w*|verordnung)\b")


# Just before a place keyword: it describes someone's job or studies, not where they were taken
# ("works at a bakery", "trabaja en una fábrica").
LOCATION_DESCRIBES_BEFORE = re.compile(
    r"\b(?:works?|worked|working|employed)\s+(?:at|in|for)\s+(?:an?\s+|the\s+)?(?:\w+\s+)?$|"
    r"\btrabaja(?:n|ba)?\s+en\s+(?:una?\s+|la\s+|el\s+)?(?:\w+\s+)?$|\barbeitet\s+(?:in|bei|als|auf)\s+(?:\w+\s+){0,2}$|"
    r"\b(?:owner|manager)\s+of\s+(?:an?\s+|the\s+)?$|\bdue[ñn][oa]\s+de\s+(?:una?\s+|la\s+|el\s+)?$|"
    r"\b(?:report|appear)\s+(?:to|at|before)\s+(?:an?\s+|the\s+)?$|"
    # Who speaks for an organisation ("Organizers from Casa Latina Community Center said"): not where it happened.
    r"\b(?:organi[sz]ers?|staff(?:ers)?|director|lawyers?|attorneys?|advocates?|spokes\w+|"
    r"voluntari[oa]s|organizador[ae]s|abogad[oa]s?|directora?|portavoz|vocer[oa]|mitarbeiter\w*|helfer\w*|anw[äa]lt\w*|"
    r"leiter(?:in)?|sprecher(?:in)?)\s+(?:from|of|with|del?|von|vom|der|des)\s+"
    r"(?:(?:the|a|la|el|una?|dem|der|des)\s+)?(?:[\w'\u2019-]+\s+){0,3}$|\bpresentarse\s+(?:en|ante)\s+(?:una?\s+|la\s+|el\s+)?$|"
    r"\b(?:ir|irse|van|iban)\s+a\s+la\s+$|\b(?:go|going|get\s+ready)\s+(?:to|for)\s+$|\bauf\s+dem\s+weg\s+zur\s+$|"
    r"\b(?:he|she|they)['\u2019](?:s|re)\s+$|"
    # Where someone hid is not where people were taken ("el sexto se escondió detrás del lavado de autos").
    r"\b(?:hid|hiding|escondi\w+|versteck\w+)\s+(?:\w+\s+){0,4}$|"
    # Where the people came from is not where they were taken ("returned from her mother's funeral in Manila",
    # "albañiles que regresaban de una obra", "auf dem Rückweg von der Baustelle").
    r"\b(?:return\w*|coming|came|back|headed\s+home|on\s+(?:the|their|his|her)\s+way\s+(?:home|back))\s+from\s+"
    r"(?:(?:an?|the|his|her|their|a\s+relative['\u2019]s)\s+)?(?:[\w'\u2019-]+\s+){0,2}$|"
    r"\b(?:regres\w+|volv[íi]\w*|ven[íi]a\w*|salido)\s+de(?:l)?\s+(?:(?:una?|la|el|su)\s+)?(?:\w+\s+){0,2}$|"
    r"\b(?:r[üu]ckweg|heimweg)\s+(?:von|aus)\s+(?:(?:der|dem|einer|einem)\s+)?(?:\w+\s+){0,1}$|\b(?:estudia|studies|studiert)\s+(?:en|at|an)\s+(?:una?\s+|la\s+|el\s+|der\s+)?$|\b(?:is|are|went|got|back|came)\s+$|\bregres[óo]\s+a\s+$"
)
# Just after a place keyword: "college student", "school district", "hospital staff".
LOCATION_DESCRIBES_AFTER = re.compile(
    r"^\s+(?:boulevard|blvd|avenue|ave|street|road|drive|way|lane|highway)\b|"  # "University Boulevard"
    r"^[\s-]+age[ds]?\b|"  # "the kids were like elementary age", "school-age children"
    r"^\s+(?:(?:\w+\s+)?(?:students?|teachers?|district|board|staff|officials?|administrators|workers?|coach|owners?|"
    r"managers?|clerks?|"
    r"principal|counselor)\b|"
    r"de\s+(?:seguridad|polic[ií]a|justicia|estado|salud)\b)"
)
# After a street word: "parking lot of a mall", "estacionamiento de un supermercado": the place named next wins.
LOCATION_OF_AFTER = re.compile(r"^\s+(?:of|de|del|eines|einer|des|der)\s")
PARKING = frozenset({"parking lot", "estacionamiento", "parkplatz"})
# The place where he works: a store or car wash is then a worksite.
LOCATION_WORKPLACE_AFTER = re.compile(
    r"^[^.!?]{0,40}?\b(?:where\s+(?:he|she|they)\s+works?|donde\s+trabaja\w*|wo\s+(?:er|sie)\s+arbeite\w*)"
)
# A sentence where agents act at a place, even with no arrest verb in it ("stopped the car", "entered the shelter").
ACTION = re.compile(
    r"\b(?:stopped|pulled\s+over|boxed\s+in|approached|knocked|entered|raided|surrounded|came\s+out\s+of|arrived|"
    r"showed\s+up|appeared|pulled\s+up|waited|were\s+waiting|"
    r"pararon|entraron|llegaron|rodearon|tocaron|aparecieron|esperaban|esperaron|"
    r"gestoppt|drangen|umstellten|kamen|warteten|erschienen|tauchten\s+auf)\b"
)
# The people taken worked there: a store, restaurant or car wash is then a worksite ("los muchachos que trabajan
# ahí", "unseren Spüler und einen Koch", "employees").
LOCATION_WORKERS = re.compile(
    r"(?<!\bde\s)(?<!\bof\s)(?<!\bf[üu]r\s)\b(?!\w+['\u2019]?\s+(?:cent(?:er|re)|union|rights|advocates))(?:employees?|workers|staff|crews?|dishwashers?|cooks?|cashiers?|waiters?|waitress|"
    r"who\s+works?\s+there|who\s+worked\s+there|(?:been\s+)?working\s+there|co-?workers?|"
    r"emplead[oa]s?|trabajador(?:es|as)|que\s+trabaja\w*\s+(?:ah[íi]|all[íi]|en\s+el\s+lugar)|cociner[oa]s?|"
    r"lavaplatos|meser[oa]s?|cajer[oa]s?|"
    r"mitarbeiter\w*|angestellte\w*|besch[äa]ftigte\w*|k[öo]ch(?:e|in)?|sp[üu]ler\w*|kellner\w*|arbeiter(?:innen|n)?|"
    r"die\s+dort\s+arbeite\w*|ich\s+arbeite|i\s+work\s+(?:at|in)|yo\s+trabajo\s+en|donde\s+trabajo)\b"
)
# Kinds of place that keep their type when the arrest is right outside them (DOMAIN.md §5.3 protected areas).
PROTECTED = frozenset(
    {"school", "children_gather", "healthcare", "place_of_worship", "social_services", "disaster_relief",
     "ceremony", "demonstration", "courthouse_immigration", "courthouse_criminal", "courthouse_noncriminal"}
)  # fmt: skip
# Just before a place keyword that follows another one: it is a landmark ("la parada frente a la panadería",
# "the bus stop across from the church"), not where people were taken.
LOCATION_LANDMARK_BEFORE = re.compile(
    r"\b(?:in\s+front\s+of|across\s+(?:the\s+street\s+)?from|next\s+to|near|behind|down\s+the\s+street\s+from|"
    r"frente\s+a|enfrente\s+de|cerca\s+de|al\s+lado\s+de|junto\s+a|detr[áa]s\s+de|"
    r"gegen[üu]ber(?:\s+von)?|neben|nahe|hinter|in\s+der\s+n[äa]he)\s+(?:(?:the|a|an|el|la|los|las|un|una|dem|der|"
    r"einem|einer|des)\s+)?(?:[\w'\u2019-]+\s+){0,2}$"
)
# Between a place and a street word: the street is its address ("the library on 6th ave", "la tienda en la calle 8").
LOCATION_ADDRESS_BEFORE = re.compile(
    r"\s*(?:[\w'\u2019-]+\s+){0,2}?(?:on|off|at|en\s+la|de\s+la|an\s+der|in\s+der|auf\s+der)\s+(?:the\s+)?"
    r"(?:[\w'\u2019-]+\s+){0,2}$"
)
# A jail handover: a hand-over verb in the sentence of a jail, or a jail keyword next to "ICE".
LOCATION_HANDOVER = re.compile(
    r"\b(?:handed\s+(?:\w+\s+){0,3}?over|turned\s+(?:\w+\s+){0,3}?over|transferred|released\s+(?:\w+\s+){0,2}?to|"
    r"booked|entreg(?:ado|ada|ados|adas|aron|[óo])|transferid[oa]s?|[üu]bergab\w*|[üu]bergeben|[üu]berstellt\w*)\b"
)
# Just before a place keyword: where people were moved afterwards ("fueron llevados a la oficina de ICE", "were
# taken to a processing center"), where someone ran ("ran toward the gas station"), where agents gathered ("a
# staging area in a church parking lot"): not where people were taken.
LOCATION_ELSEWHERE_BEFORE = re.compile(
    r"\b(?:(?:taken|moved|transferred|brought|driven|drove\s+\w+|transported|llevad[oa]s?|llevaron|trasladad[oa]s?|"
    r"trasladaron|brachte\w*)\s+(?:\w+\s+){0,2}?(?:to|into|a|al|hacia)\s+|"
    r"(?:ran|run|running|fled|corri[óo]|corrieron|huy[óo]|huyeron|rannte\w*|fl[üo]h\w*)\s+(?:\w+\s+)?"
    r"(?:toward|towards|to|into|hacia|a|zur|zum|in\s+richtung)\s+|"
    r"staging\s+(?:area|point|site)\s+(?:\w+\s+){0,2}?(?:in|at|near|behind)\s+)"
    r"(?:(?:the|a|an|la|el|una?|der|die|das|dem|den|ein|eine|einen)\s+)?(?:[\w'\u2019-]+\s+){0,2}$"
)
# The people taken were at work ("seien während der Arbeit abgeführt worden", "lined all the workers up ... took
# 3 of them", "the morning crew"): a store or car wash in the text is then their worksite.
LOCATION_AT_WORK = re.compile(
    r"\b(?:w[äa]hrend\s+(?:der|ihrer|seiner)\s+arbeit|bei\s+der\s+arbeit|while\s+(?:they\s+were\s+|he\s+was\s+|she\s+was\s+)?"
    r"working|on\s+the\s+job|mientras\s+trabajaba\w*|en\s+pleno\s+turno|(?:morning|day|night)\s+crew|"
    r"(?:lined|lining)\s+(?:\w+\s+){0,2}?(?:workers|employees|crew)|(?:workers|employees|trabajadores|empleados|arbeiter)\s+"
    r"(?:\w+\s+){0,3}?(?:were\s+)?(?:detained|arrested|taken|detenidos|festgenommen))\b"
)
# Just before a jail keyword: where people are held now ("werden in der Haftanstalt ... festgehalten", "is being
# held at"), not where they were taken.
LOCATION_HELD_NOW = re.compile(
    r"\b(?:(?:is|are)\s+(?:now\s+|still\s+)?(?:being\s+)?held|remains?|werden|wird|permanecen?|siguen?|est[áa]n?)\s+"
    r"(?:[\w-]+\s+){0,4}$"
)
# Just after a place keyword, in German: where people were brought ("in ein Abschiebegefängnis in Elizabeth
# gebracht").
LOCATION_ELSEWHERE_AFTER = re.compile(r"[^.!?;]{0,40}?\b(?:gebracht|verlegt|[üu]berstellt|transportiert)\b")
# A sentence about what will or could happen, an appeal or advice: its places are not where the incident was.
LOCATION_ASIDE = re.compile(
    r"\b(?:will|would|should|could|if|next|planned|plans?|please|invite\w*|training|"
    r"si|invitamos|pedimos|exigimos|podr[áa]n?|pr[óo]xim[oa]|"
    r"wird|werden|wollen|sollen|falls|wenn|n[äa]chste\w*|bitte)\b"
)
# A sentence about other times (earlier operations, political fights): its agencies and force words are not the
# incident's.
OTHER_TIME = re.compile(
    r"\b(?:last\s+(?:month|year|summer|spring|fall|winter)|in\s+recent\s+(?:weeks|months)|"
    r"earlier\s+this\s+(?:year|month)|(?:in\s+)?the\s+(?:past|previous)\s+(?:few\s+)?(?:weeks|months|years)|"
    r"for\s+weeks|for\s+months|el\s+(?:mes|a[ñn]o)\s+pasado|(?:en\s+)?(?:las|los)\s+[úu]ltim[oa]s\s+(?:semanas|meses)|"
    r"desde\s+hace\s+(?:semanas|meses)|in\s+den\s+(?:vergangenen|letzten)\s+(?:wochen|monaten)|"
    r"(?:letzten|vergangenen)\s+(?:monat|jahr)|seit\s+(?:wochen|monaten))\b"
)
# Just before a place keyword: where it happened ("at", "outside", "en", "frente a", "vor").
LOCATION_AT_BEFORE = re.compile(
    r"\b(?:at|in|inside|outside|from|on|aus|en|a(?=\s+(?:la|las|los|un|una)\s)|al|frente\s+a|afuera\s+de|dentro\s+de|"
    r"vor|im|am|bei|auf|an)"
    r"\s+(?:(?:the|a|an|his|her|their|its|el|la|los|las|un|una|su|sus|dem|der|einem|einer|ihrem|seinem)\s+)?"
    r"(?:[\w'\u2019-]+\s+){0,3}$"
)
