"""
The regions we seed and the region of every ISO 3166-1 country (from pycountry).

Editors may rename, describe, reorder or add regions in the admin afterwards;
this module is what a fresh database starts with (migration places/0002) and
what ``tests/places/test_world.py`` checks: every country pycountry knows is
in exactly one region.

The set follows how foreign-policy desks usually divide the world: Europe;
Eurasia (Russia and the former Soviet states outside the EU, with the
Caucasus and Central Asia as sub-regions); the Middle East (with the Gulf);
North Africa; Sub-Saharan Africa; South, East and Southeast Asia; Oceania;
North America; Latin America and the Caribbean; the Arctic; Antarctica.
Judgement calls: Turkey in the Middle East, Cyprus in
Europe (an EU member); Greenland and Svalbard in the Arctic; Mongolia in East
Asia; Afghanistan in South Asia.
"""

import pycountry

# (slug, name, parent slug or None, order, description)
REGIONS = [
    ("europe", "Europe", None, 10, "The European Union, its neighbours and the Balkans."),
    ("eurasia", "Eurasia", None, 20, "Russia and the former Soviet states outside the EU."),
    ("caucasus", "Caucasus", "eurasia", 21, "Armenia, Azerbaijan and Georgia."),
    (
        "central-asia",
        "Central Asia",
        "eurasia",
        22,
        "The five states between the Caspian and China.",
    ),
    ("middle-east", "Middle East", None, 30, "From the Levant and Turkey to Iran."),
    ("gulf", "Gulf", "middle-east", 31, "The Arabian Peninsula and the Gulf states."),
    ("north-africa", "North Africa", None, 40, "The Maghreb, Libya and Egypt."),
    ("sub-saharan-africa", "Sub-Saharan Africa", None, 50, "Africa south of the Sahara."),
    ("south-asia", "South Asia", None, 60, "India, its neighbours and Afghanistan."),
    ("east-asia", "East Asia", None, 70, "China, Japan, the Koreas, Taiwan and Mongolia."),
    ("southeast-asia", "Southeast Asia", None, 80, "The ASEAN states and Timor-Leste."),
    ("oceania", "Oceania", None, 90, "Australia, New Zealand and the Pacific islands."),
    ("north-america", "North America", None, 100, "The United States, Canada and Mexico."),
    (
        "latin-america",
        "Latin America and the Caribbean",
        None,
        110,
        "Central and South America and the Caribbean.",
    ),
    ("arctic", "Arctic", None, 120, "The High North: Greenland, Svalbard and the polar sea."),
    ("antarctica", "Antarctica", None, 130, "The southern continent and its islands."),
]

_CODES_BY_REGION = {
    "europe": "ad al at ax ba be bg ch cy cz de dk ee es fi fo fr gb gg gi gr hr hu ie im is "
    "it je li lt lu lv mc me mk mt nl no pl pt ro rs se si sk sm va",
    "eurasia": "by md ru ua",
    "caucasus": "am az ge",
    "central-asia": "kg kz tj tm uz",
    "middle-east": "il iq ir jo lb ps sy tr",
    "gulf": "ae bh kw om qa sa ye",
    "north-africa": "dz eg eh ly ma tn",
    "sub-saharan-africa": "ao bf bi bj bw cd cf cg ci cm cv dj er et ga gh gm gn gq gw ke km "
    "lr ls mg ml mr mu mw mz na ne ng re rw sc sd sh sl sn so ss st sz td tg tz ug yt za zm zw",
    "south-asia": "af bd bt in io lk mv np pk",
    "east-asia": "cn hk jp kp kr mn mo tw",
    "southeast-asia": "bn id kh la mm my ph sg th tl vn",
    "oceania": "as au cc ck cx fj fm gu ki mh mp nc nf nr nu nz pf pg pn pw sb tk to tv um "
    "vu wf ws",
    "north-america": "bm ca mx pm us",
    "latin-america": "ag ai ar aw bb bl bo bq br bs bz cl co cr cu cw dm do ec fk gd gf gp gt "
    "gy hn ht jm kn ky lc mf mq ms ni pa pe pr py sr sv sx tc tt uy vc ve vg vi",
    "arctic": "gl sj",
    "antarctica": "aq bv gs hm tf",
}

# code → region slug, for every seeded country.
COUNTRY_REGIONS = {
    code.upper(): region for region, codes in _CODES_BY_REGION.items() for code in codes.split()
}

# Shorter names than ISO's formal ones, as readers know them.
NAMES = {
    "RU": "Russia",
    "CD": "Democratic Republic of the Congo",
    "CG": "Republic of the Congo",
    "VA": "Vatican City",
    "FM": "Micronesia",
    "PS": "Palestine",
    "VG": "British Virgin Islands",
    "VI": "US Virgin Islands",
    "FK": "Falkland Islands",
    "BN": "Brunei",
    "SY": "Syria",
    "LA": "Laos",
    "MD": "Moldova",
    "TR": "Turkey",
}


def iso_countries():
    """``[(code, name)]`` for every ISO 3166-1 country pycountry knows, code upper case."""
    return [
        (c.alpha_2, NAMES.get(c.alpha_2) or getattr(c, "common_name", None) or c.name)
        for c in pycountry.countries
    ]


def seed(apps):
    """Create or update the seeded regions and every country (from a migration: ``apps``)."""
    from django.utils.text import slugify

    Region = apps.get_model("places", "Region")
    Country = apps.get_model("places", "Country")
    regions = {}
    for slug, name, parent, order, description in REGIONS:
        regions[slug], _ = Region.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "parent": regions.get(parent),
                "order": order,
                "description": description,
            },
        )
    for code, name in iso_countries():
        Country.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "slug": slugify(name)[:100] or code.lower(),
                "region": regions[COUNTRY_REGIONS[code]],
            },
        )
