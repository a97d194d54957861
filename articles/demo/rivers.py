"""Demo article: shared rivers, dams and power in the Nile and Mekong basins."""

import datetime
from functools import partial

from . import figures
from .spec import DemoArticle, DemoFigure, section, subsection

SECTIONS = (
    section(
        "Water moves, borders stay",
        """
        More than half of the world's fresh water flows through river basins shared by two or
        more countries. Rivers ignore the lines drawn on maps, and so every dam, irrigation
        scheme or diversion built upstream changes what arrives downstream: how much water, at
        what time of year, carrying how much silt and how many fish.

        For most of history the advantage lay with whoever had the engineers and the money,
        usually downstream states with large, settled populations on fertile floodplains. That
        balance is shifting. Upstream states, long too poor to build on their rivers, now have
        access to finance, technology and a pressing need for electricity. The result is a new
        politics of water in which the old users defend their historic shares and the new
        builders insist on their right to develop.

        The Nile and the Mekong show that shift more clearly than any other basins. In both, a
        large upstream dam programme has unsettled downstream countries. In both, the existing
        institutions were built for a different era. And in both, the most useful tools turn out
        to be less about dividing water than about sharing information and benefits.
        """,
    ),
    section(
        "The Nile: an old bargain under strain",
        """
        The Nile is shared by eleven countries, but for a century its politics has revolved
        around three: Egypt, which depends on the river for almost all of its fresh water;
        Sudan, through which the main river and its tributaries pass; and Ethiopia, whose
        highlands supply most of the water that eventually reaches Egypt.
        """,
    ),
    subsection(
        "Allocations written for another century",
        """
        The legal foundations of Egypt's position date from the colonial era. An exchange of
        notes in 1929 between Egypt and Britain, acting for its East African territories,
        recognised Egypt's "historic rights" and gave it a say over upstream works. In 1959
        Egypt and newly independent Sudan divided the river's average flow between themselves,
        allocating 55.5 billion cubic metres a year to Egypt and 18.5 billion to Sudan.[^1]

        Ethiopia and the other upstream states were not parties to either agreement and have
        never accepted them. From their perspective, a division of the whole river between the
        two countries furthest downstream is not a treaty but a claim. Attempts to negotiate a
        basin-wide framework, through the Nile Basin Initiative launched in 1999, produced a
        Cooperative Framework Agreement that upstream states signed and Egypt and Sudan
        rejected. It entered into force in 2024 without them, which says much about how divided
        the basin remains.

        [^1]: Agreement between the Republic of the Sudan and the United Arab Republic for the
            full utilisation of the Nile waters, signed in Cairo, November 1959.
        """,
    ),
    subsection(
        "The Grand Ethiopian Renaissance Dam",
        """
        Ethiopia began building the Grand Ethiopian Renaissance Dam on the Blue Nile, close to
        its border with Sudan, in 2011. It is the largest hydropower project in Africa, with a
        reservoir that can hold more water than the Blue Nile carries in a typical year. For
        Ethiopia, where tens of millions of people lack reliable electricity, it is a national
        project paid for largely by its own citizens and a symbol of sovereignty over a river
        that others long treated as theirs.

        Egypt sees it differently. A dam that can store more than a year's flow of the river's
        largest tributary gives Ethiopia influence over the timing of water on which Egypt's
        farms and cities depend. Egyptian concern centres less on the dam's existence than on
        how fast its reservoir is filled and how it will be operated during a prolonged drought.
        A Declaration of Principles signed by the three governments in 2015 committed them to
        cooperation and to agree on filling and operation.[^2] Years of talks since then, under
        several mediators, have not produced a binding agreement.

        [^2]: Agreement on Declaration of Principles between Egypt, Ethiopia and Sudan on the
            Grand Ethiopian Renaissance Dam Project, Khartoum, March 2015.
        """,
    ),
    subsection(
        "Sudan in the middle",
        """
        Sudan's position is the most ambiguous. The dam could benefit it greatly: a regulated
        Blue Nile means fewer destructive floods, more reliable irrigation and the prospect of
        cheap electricity. But Sudan's own dams lie a short distance downstream, and operating
        them safely requires timely information about releases from the Ethiopian reservoir.
        Without that coordination, benefits can turn into risks. Sudan's long internal turmoil
        has, in turn, limited its ability to act as the bridge between its neighbours that its
        geography would suggest.
        """,
    ),
    section(
        "The Mekong: a river of dams",
        """
        The Mekong rises on the Tibetan Plateau and flows through China, where it is called the
        Lancang, before passing Myanmar, Laos, Thailand, Cambodia and Vietnam on its way to the
        South China Sea. It sustains one of the world's largest inland fisheries and the rice
        bowls of the lower basin, and tens of millions of people depend on its annual flood
        pulse.

        That pulse is the river's defining feature. In the wet season the Mekong rises so far
        that the Tonle Sap river in Cambodia reverses its flow, filling the great lake upstream
        and flooding forests where fish breed. In the dry season the lake drains back into the
        river. Fish, farms and livelihoods are tuned to that rhythm. Dams that store water in
        the wet season and release it in the dry season smooth the rhythm, and in smoothing it
        they change the basis of the ecosystem.
        """,
    ),
    subsection(
        "China's upstream position",
        """
        China has built a cascade of large dams on the upper river, including two with very
        large reservoirs. Chinese officials argue that the dams help downstream countries by
        releasing water in the dry season and holding back floods in the wet season. Downstream
        critics point out that the same storage allows upstream operators to alter the river's
        timing in ways that downstream users cannot anticipate.

        The debate came to a head during the severe drought of 2019 and 2020, when a study based
        on satellite data suggested that upstream reservoirs had held back water while the lower
        river ran low. Chinese researchers disputed the findings. The argument could not be
        settled conclusively because the data needed to settle it were not shared in full, which
        is itself the heart of the problem.
        """,
    ),
    subsection(
        "The limits of the Mekong River Commission",
        """
        The Mekong River Commission, created by a 1995 agreement among Cambodia, Laos, Thailand
        and Vietnam, is the basin's main institution.[^3] It runs a procedure under which
        members notify and consult one another before building on the mainstream, and it has
        built up valuable scientific capacity. But consultation is not consent. Laos has gone
        ahead with mainstream dams, such as the Xayaburi project, despite objections from its
        neighbours.

        China and Myanmar are not members but dialogue partners. Beijing has instead promoted
        its own forum, the Lancang-Mekong Cooperation framework launched in 2016, which covers
        water among many other subjects and in which China is the dominant partner. The
        coexistence of two forums gives downstream states options, but it also lets difficult
        questions fall between them.

        [^3]: Agreement on the Cooperation for the Sustainable Development of the Mekong River
            Basin, Chiang Rai, April 1995.
        """,
    ),
    section(
        "Data as diplomacy",
        """
        In both basins, disputes over water are also disputes over information. Downstream
        states cannot plan, or even argue their case, without knowing how much water upstream
        reservoirs hold and when they will release it. Upstream states often treat such data as
        sensitive, partly for commercial reasons and partly because information is a form of
        leverage.

        Small steps matter here. China agreed in 2020 to share year-round hydrological data with
        the Mekong River Commission, having previously shared it only in the flood season.
        Satellites and independent monitoring have made it harder for any government to keep the
        state of its reservoirs secret. Amina Dualeh, a hydrologist at a research institute in
        Nairobi who has modelled the Nile's flows for years, argues that an agreed, trusted data
        system would defuse half of the basin's disputes before they start, because most of the
        fear is fear of the unknown.

        Transparency will not resolve conflicts of interest. It does change their character,
        from suspicion about intentions to negotiation about numbers, and that is a change
        diplomats can work with.
        """,
    ),
    section(
        "Climate as a multiplier",
        """
        Climate change raises the stakes in both basins. Warming alters rainfall patterns over
        the Ethiopian highlands and the Tibetan Plateau, and most projections point to greater
        variability: wetter wet years, drier dry years and more frequent extremes. Rising sea
        levels push salt water into the Nile and Mekong deltas, two of the world's most
        productive and most vulnerable farming regions.

        Variability is the crucial point. Agreements that divide an average flow work tolerably
        well in average years and break down in droughts, exactly when they are most needed. A
        basin that faces more frequent droughts needs rules for sharing shortage, not only for
        sharing plenty, and those rules are the hardest to agree in advance. The Mekong delta
        faces an additional threat: dams trap sediment that would otherwise replenish the land,
        while sand mining removes more, so the delta is sinking as the sea rises.
        """,
    ),
    section(
        "What international law offers, and what it does not",
        """
        International water law rests on two principles that pull against each other. The first
        is equitable and reasonable utilisation: every state in a basin may use its share of a
        shared river. The second is the obligation not to cause significant harm to other
        states. Upstream states emphasise the first; downstream states the second.

        Both principles are written into the 1997 UN Watercourses Convention, which also
        requires states to notify one another of planned measures that may have significant
        adverse effects.[^4] The convention entered into force in 2014, but Egypt, Ethiopia and
        China are not parties, and so its direct influence in these two basins is limited. It
        nonetheless reflects widely accepted customary rules, and it provides a shared
        vocabulary that negotiators on all sides use.

        What the law cannot do is decide what "equitable" means for a particular river in a
        particular decade. That remains a political question, answered by negotiation, by power
        and, occasionally, by imagination.

        [^4]: Convention on the Law of the Non-navigational Uses of International Watercourses,
            adopted by the UN General Assembly in 1997; in force since 2014.
        """,
    ),
    section(
        "From sharing water to sharing benefits",
        """
        The most promising way out of zero-sum arguments is to stop dividing the water and start
        dividing what the water produces. A dam in the highlands generates electricity that can
        be sold to neighbours; a regulated river reduces floods downstream; storage in a cool,
        deep upstream reservoir loses less water to evaporation than storage in a hot, shallow
        downstream one. In principle, a basin-wide plan could leave every country better off
        than national plans pursued separately.

        Benefit-sharing requires a level of trust that neither basin has yet achieved.
        Downstream states must accept dependence on upstream infrastructure; upstream states
        must accept constraints on how they operate it. Each needs confidence that the other
        will honour the deal during the worst drought of the century, not only in normal years.
        """,
    ),
    subsection(
        "Lessons from other basins",
        """
        Other basins suggest that such trust can be built. On the Senegal River, Mali,
        Mauritania and Senegal own their main dams jointly, as common property managed by a
        shared organisation, so that no single state controls them. On the Columbia River, the
        United States and Canada agreed in 1964 that Canada would build storage dams and receive
        a share of the extra power generated downstream in the United States.

        Neither model can be transplanted whole. But both show that the hardest political
        problem, who controls the infrastructure, can be solved by changing who owns it or who
        profits from it. Both also took years of technical work before the political deal was
        possible.
        """,
    ),
    section(
        "Outlook",
        """
        Neither the Nile nor the Mekong faces an imminent water war; states rarely fight over
        water alone. The more likely danger is chronic: agreements that never quite arrive,
        infrastructure operated without coordination, and the slow damage done to fisheries,
        deltas and farmers when a river's rhythm is changed without anyone being accountable for
        the consequences.

        The ingredients of a better outcome are known: shared data, rules for droughts as well
        as for average years, and arrangements that turn dams into joint assets rather than
        national trophies. What is missing is the political will to treat the river as a system.
        Climate change will test that will in both basins within a generation, and the countries
        that prepare for the test together will come through it far better than those that wait
        to be surprised.
        """,
    ),
)

_NILE = partial(
    figures.schematic_map,
    "The Eastern Nile: three countries, one river",
    subtitle="Schematic, not to scale; borders simplified",
    background=figures.LAND,
    regions=(
        figures.Region("Mediterranean Sea", [(0, 0), (100, 0), (100, 7), (0, 7)], fill=figures.SEA),
        figures.Region("Egypt", [(10, 7), (64, 7), (64, 30), (10, 30)], (22, 18)),
        figures.Region("Sudan", [(10, 30), (64, 30), (72, 44), (66, 58), (14, 58)], (22, 44)),
        figures.Region("South Sudan", [(14, 58), (58, 58), (60, 92), (14, 92)], (24, 75)),
        figures.Region(
            "Ethiopia",
            [(58, 58), (66, 58), (72, 44), (92, 50), (96, 80), (84, 96), (60, 92)],
            (86, 90),
        ),
    ),
    routes=(
        ("White Nile", [(34, 100), (38, 82), (44, 62), (47, 42)], (37, 64), figures.RIVER),
        ("Blue Nile", [(80, 78), (70, 66), (60, 55), (47, 42)], (60, 47), figures.RIVER),
        ("Nile", [(47, 42), (48, 30), (42, 18), (40, 7)], (52, 20), figures.RIVER),
    ),
    places=(
        ("Lake Tana", (80, 78), "right"),
        ("Renaissance Dam", (68, 63.8), "right"),
        ("Khartoum", (47, 42), "left"),
        ("Aswan High Dam", (43, 20), "left"),
        ("Cairo", (40, 9), "right"),
    ),
    note="Most of the water reaching Egypt comes down the Blue Nile and other Ethiopian rivers.",
)

_MEKONG = partial(
    figures.flow_diagram,
    "The Mekong from source to sea",
    [
        ("China", "The Lancang:\na cascade of large\ndams and reservoirs"),
        ("Myanmar,\nLaos, Thailand", "Shared borders;\nmainstream dams\nin Laos"),
        ("Cambodia", "The Tonle Sap lake\nand its flood pulse:\nfish and rice"),
        ("Vietnam", "The delta:\nsalt water, sinking\nland, lost sediment"),
    ],
    subtitle="What each stretch of the river holds at stake, upstream to downstream",
    note="Simplified: every country in the basin uses the river in many ways.",
    highlight=(0,),
)

_STORAGE = partial(
    figures.bar_chart,
    "Storage gives a dam its leverage",
    [
        ("Aswan High Dam (Egypt)", 162),
        ("Renaissance Dam (Ethiopia)", 74),
        ("Nuozhadu (China)", 24),
        ("Xiaowan (China)", 15),
    ],
    subtitle="Approximate total reservoir capacity, billion cubic metres",
    unit=" bcm",
    note="Rounded, approximate design capacities.",
    highlight=(1,),
)

ARTICLE = DemoArticle(
    slug="rivers-without-borders-nile-mekong",
    title="Rivers without borders: power and water on the Nile and the Mekong",
    standfirst=(
        "Upstream dams have upended old bargains over two of the world's great rivers. "
        "Neither basin is heading for a water war, but both need rules for droughts, shared "
        "data and a way to turn national dams into shared assets."
    ),
    author="ingrid-halvorsen",
    tags=(
        "Water",
        "Climate",
        "Africa",
        "Southeast Asia",
        "China",
        "International law",
        "Infrastructure",
    ),
    countries=("EG", "ET", "SD", "CN", "LA", "KH", "TH", "VN"),
    regions=("north-africa", "southeast-asia"),
    actors=("mekong-river-commission", "nile-basin-initiative"),
    sections=SECTIONS,
    figures=(
        DemoFigure(
            draw=_NILE,
            alt_text=(
                "Schematic map of the Eastern Nile: the White Nile flows north from South "
                "Sudan and the Blue Nile flows from Lake Tana in Ethiopia past the Renaissance "
                "Dam; they meet at Khartoum in Sudan, and the Nile continues past the Aswan "
                "High Dam and Cairo in Egypt to the Mediterranean."
            ),
            caption="The Renaissance Dam sits just upstream of the Sudanese border.",
            after="The Nile: an old bargain under strain",
        ),
        DemoFigure(
            draw=_MEKONG,
            alt_text=(
                "Diagram of four boxes from upstream to downstream: China, with a cascade "
                "of large dams; Myanmar, Laos and Thailand, with mainstream dams in Laos; "
                "Cambodia, with the Tonle Sap lake and its flood pulse; and Vietnam, with the "
                "delta threatened by salt water, sinking land and lost sediment."
            ),
            caption="Storage upstream changes the rhythm that everything downstream depends on.",
            after="The Mekong: a river of dams",
        ),
        DemoFigure(
            draw=_STORAGE,
            alt_text=(
                "Bar chart of approximate reservoir capacity in billion cubic metres: Aswan "
                "High Dam 162, Renaissance Dam 74, Nuozhadu 24 and Xiaowan 15."
            ),
            caption=(
                "Egypt's own reservoir dwarfs the others, one reason that cooperation over "
                "operating rules could work for everyone."
            ),
        ),
    ),
    age=datetime.timedelta(minutes=60),
)
