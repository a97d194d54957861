"""Demo article: semiconductor supply chains as instruments of statecraft."""

import datetime
from functools import partial

from . import figures
from .spec import DemoArticle, DemoFigure, section, subsection

SECTIONS = (
    section(
        "The most complex thing we trade",
        """
        A modern processor packs billions of transistors onto a sliver of silicon smaller than a
        fingernail. Making it takes hundreds of process steps, machines that cost more than a
        passenger jet, chemicals purified to a degree few other industries require, and software
        that no single engineer fully understands. It also takes a supply chain that crosses
        borders dozens of times before the finished chip is soldered into a phone, a car or a
        missile.

        For most of the past three decades governments treated that supply chain as a commercial
        matter. Companies located each stage wherever it was cheapest or most efficient, and the
        result was a system of remarkable productivity and equally remarkable concentration. A
        handful of firms, in a handful of places, came to control steps that the whole world
        depends on.

        That concentration has turned chips into an instrument of statecraft. Governments now
        use export controls, subsidies and investment screening to shape who can make advanced
        semiconductors, and where. This article looks at how the supply chain works, why it
        became so concentrated, and what the contest to control it means for the states caught
        up in it.
        """,
    ),
    section(
        "Anatomy of a chip",
        """
        It helps to think of chipmaking as four linked stages, each with its own economics and
        its own geography. Very few companies operate in all four. Most specialise in one, and
        depend on partners, often in other countries, for the rest. The points where a stage is
        dominated by one firm or one country are the chokepoints that governments have learned
        to exploit.
        """,
    ),
    subsection(
        "Design and the software behind it",
        """
        Chip design is the most knowledge-intensive stage and the one where American firms are
        strongest. Designers work with electronic design automation software, supplied mainly by
        three companies, and license building blocks of intellectual property from specialist
        vendors. Many of the best-known chip companies design chips but own no factories at all.
        They send their designs to contract manufacturers, a model that separated the craft of
        design from the capital-hungry business of production.
        """,
    ),
    subsection(
        "Tools and materials",
        """
        The machines that make chips are built by a small group of equipment makers in the
        United States, the Netherlands and Japan. The most striking case is extreme ultraviolet
        lithography, used to print the finest features on leading-edge chips, which only one
        company in the world, the Dutch firm ASML, currently supplies.

        Materials are more dispersed but no less essential: silicon wafers, photoresists,
        specialty gases and ultra-pure chemicals. Japan holds strong positions in several of
        them. The disruption of supplies of semiconductor-grade neon after Russia's invasion of
        Ukraine in 2022 was a reminder that even modest inputs can matter when few places
        produce them.
        """,
    ),
    subsection(
        "Fabrication",
        """
        Fabrication, the work done in "fabs", is where designs become physical chips. It is the
        most capital-intensive stage. A leading-edge fab now costs well over ten billion dollars
        to build and equip, and it must run almost continuously to earn back its cost before its
        technology is overtaken.

        Leading-edge logic production is concentrated in Taiwan, above all in the world's
        largest contract chipmaker, with South Korea a strong second in memory and a competitor
        in logic. Mature chips, the less advanced but far more numerous parts used in cars,
        appliances and industrial equipment, are made more widely, and China has been expanding
        its share of them quickly.
        """,
    ),
    subsection(
        "Assembly, testing and packaging",
        """
        The final stage cuts the wafer into individual chips, tests them and packages them so
        they can be connected to a circuit board. It was long treated as the low-value end of
        the business and moved to wherever labour was cheapest, which meant China and South-east
        Asia. Advanced packaging, which stacks and links several chips together, is changing
        that: it has become a frontier technology in its own right, and a new focus of
        industrial policy.
        """,
    ),
    section(
        "How concentration happened",
        """
        Nobody planned the present geography of chipmaking. It emerged from economies of scale
        so steep that each generation of technology supported fewer producers than the last. As
        fabs became more expensive, only firms with enormous volumes could afford to build them,
        and those firms pulled further ahead with each cycle. Equipment makers followed the same
        logic: the cost of developing a new generation of lithography could be justified only by
        a company that would sell to every leading fab in the world.

        Government support played a part at every turn, from Taiwan's early investment in its
        contract-manufacturing model to South Korea's backing of its conglomerates and Japan's
        support for materials firms. But the decisive force was the market itself, rewarding
        specialisation and punishing duplication. A report for the American industry association
        in 2021 counted dozens of points in the supply chain where one region held most of
        global capacity.[^1]

        Efficiency and fragility turned out to be two sides of the same coin. A system optimised
        for cost had little spare capacity and few alternatives. The chip shortages of 2020 and
        2021, which idled car plants on several continents, made that fragility visible to
        politicians who had rarely thought about semiconductors before.

        [^1]: Semiconductor Industry Association and Boston Consulting Group, Strengthening the
            Global Semiconductor Supply Chain in an Uncertain Era, April 2021.
        """,
    ),
    section(
        "Export controls as foreign policy",
        """
        Export controls are an old tool. During the cold war Western states coordinated
        restrictions on technology sales to the Soviet bloc, and since 1996 the Wassenaar
        Arrangement has provided a forum for coordinating controls on dual-use goods. What is
        new is the ambition with which the United States now uses controls on chips and
        chipmaking tools, not only to keep weapons-relevant technology from adversaries, but to
        slow a rival's progress across a whole industry.
        """,
    ),
    subsection(
        "The logic of the chokepoint",
        """
        The turning point came with American measures against Huawei from 2019, which used the
        reach of American technology embedded in foreign products to cut the company off from
        advanced contract manufacturing. In October 2022 the US Commerce Department went much
        further, restricting exports to China of advanced computing chips and the equipment
        needed to make advanced chips, and limiting the support that American citizens and firms
        could give to Chinese fabs.[^2] The rules have been tightened and extended several times
        since.

        The logic is that of the chokepoint. Because a few stages of the supply chain depend on
        American software, tools or know-how, controls on those stages ripple through the whole
        system. Hanna Vos, who advised a European government on licensing decisions, describes
        it as leverage that exists only because of past integration: the deeper the dependence,
        the stronger the lever, and the more it is used, the more the other side works to escape
        it.

        [^2]: US Department of Commerce, Bureau of Industry and Security, export control rules
            on advanced computing and semiconductor manufacturing items, published October 2022.
        """,
    ),
    subsection(
        "The price of pulling the lever",
        """
        Controls impose costs on those who impose them. Firms lose sales to their largest
        market, and lost revenue means less money for the research that keeps them ahead. Allies
        whose companies are asked to follow American rules may comply, as the Netherlands and
        Japan did when they introduced their own controls on advanced equipment in 2023, but
        each request strains their patience.

        The targeted state adapts. China has poured money into domestic equipment and materials
        firms, stockpiled tools before restrictions took effect, and pushed older technologies
        further than many expected. It has also shown that it holds levers of its own,
        introducing export licensing for gallium and germanium, minor metals used in some chips
        and electronics, in 2023. Chokepoints, it turns out, run in both directions.
        """,
    ),
    section(
        "Subsidies and the return of industrial policy",
        """
        If controls are the stick, subsidies are the carrot. The American CHIPS and Science Act
        of 2022 set aside tens of billions of dollars for manufacturing incentives and research,
        alongside a tax credit for investment in fabs.[^3] The European Union's Chips Act, in
        force since 2023, set the goal of doubling Europe's share of global production to a
        fifth by 2030. Japan has subsidised new plants built by foreign chipmakers on its soil
        and backed a domestic venture aiming at the leading edge. South Korea, India and others
        have followed with programmes of their own.

        The aim is not self-sufficiency, which no country could afford, but a reduction in the
        worst dependencies. Yet subsidy races carry familiar dangers. Money can be spent on
        plants that struggle to find customers or workers. Governments competing for the same
        few firms may bid against one another and end up paying for capacity that would have
        been built anyway. And fabs built for political reasons still have to survive the brutal
        economics of the industry once the ribbon has been cut.

        [^3]: CHIPS and Science Act, Public Law 117-167, signed into law in August 2022.
        """,
    ),
    section(
        "Taiwan and the problem of irreplaceability",
        """
        No place matters more to the supply chain than Taiwan, and no place illustrates better
        how economic and military security have become entangled. Taiwan's chipmakers produce
        the overwhelming majority of the world's most advanced logic chips. A blockade or
        conflict in the Taiwan Strait would therefore be not only a humanitarian and strategic
        catastrophe but an economic shock felt in every industry that uses electronics.

        Some in Taiwan have described their industry as a "silicon shield": a reason for the
        world to care about the island's security. Others worry that efforts abroad to reduce
        dependence on Taiwanese production will thin that shield over time. Taiwanese firms, for
        their part, are building plants in the United States, Japan and Europe, partly in
        response to customers' and governments' demands, while keeping their most advanced
        processes at home.

        There is no quick way to make Taiwan's role replaceable. The skills of its engineers and
        the dense network of suppliers around its fabs took decades to build. The realistic goal
        for other states is a world in which a disruption would be painful rather than
        paralysing.
        """,
    ),
    section(
        "Middle powers with leverage",
        """
        The contest is often told as a story of two superpowers. The middle powers deserve more
        attention. The Netherlands controls the most important lithography technology; Japan is
        indispensable in materials and several kinds of equipment; South Korea leads in memory.
        Each of these states is a close partner of the United States and has deep commercial
        ties with China.

        Their choices shape the effectiveness of any control regime far more than the rhetoric
        in Washington or Beijing. They have generally aligned with American policy, but on their
        own timetables and with their own carve-outs, seeking to protect national firms while
        avoiding the appearance of simply taking orders. Their influence rests on the same
        specialisation that made the supply chain fragile, and they are aware that it would
        diminish if production were spread more widely.
        """,
    ),
    section(
        "What resilience would actually mean",
        """
        Resilience has become a slogan, and slogans hide choices. A resilient supply chain is
        not one in which every country makes everything. It is one in which the failure of a
        single firm, region or route does not halt production for years. That requires spare
        capacity, which someone must pay for; diversity of suppliers, which may mean accepting
        higher costs; and stockpiles of critical inputs, which tie up capital.

        It also requires honesty about time. Chokepoints differ in how quickly they could be
        replaced. An assembly plant can be built in a couple of years. A leading-edge fab takes
        longer, and the workforce to run it longer still. An alternative to the most specialised
        tools might take well over a decade, if it could be built at all. Policies that promise
        quick independence should be judged against those timelines.
        """,
    ),
    section(
        "A contest measured in years",
        """
        The politics of semiconductors will not be settled by any single rule or subsidy. It is
        a contest measured in product generations, each lasting a few years, and in the slower
        accumulation of skills and suppliers that decides who can make the next generation at
        all.

        For governments the lesson is to use chokepoints sparingly and with allies, because each
        use teaches the target how to escape; to subsidise where markets will not build what
        security requires, but not to chase prestige; and to remember that the industry's
        extraordinary progress came from openness and specialisation. Preserving enough of that
        openness, while removing the most dangerous dependencies, is the balance every serious
        strategy has to strike.
        """,
    ),
)

_CHAIN = partial(
    figures.flow_diagram,
    "One chip, many countries",
    [
        ("Design", "Chip designers,\ndesign software\n\nUnited States leads"),
        ("Equipment", "Lithography, etch,\ndeposition\n\nUS, Netherlands,\nJapan"),
        ("Materials", "Wafers, gases,\nchemicals\n\nJapan, Europe,\nChina and others"),
        ("Fabrication", "Leading-edge logic\nand memory\n\nTaiwan,\nSouth Korea"),
        ("Assembly\nand test", "Cutting, testing,\npackaging\n\nChina, Taiwan,\nSouth-east Asia"),
    ],
    subtitle="The four stages of chipmaking and where each is strongest (simplified)",
    note="Simplified: every stage involves firms in many more countries.",
    highlight=(3,),
)

_FAB_COST = partial(
    figures.line_chart,
    "The rising price of the leading edge",
    ["2005", "2010", "2015", "2020", "2025"],
    [("Leading-edge fab", [3, 5, 8, 14, 20])],
    y_max=25,
    y_step=5,
    subtitle="Cost to build and equip one fab, US$ billion (illustrative)",
    note="Illustrative values for this demo, not company data.",
)

_REPLACE = partial(
    figures.bar_chart,
    "How long it takes to replace a chokepoint",
    [
        ("Assembly and test plant", 2),
        ("Mature-node fab", 3),
        ("Leading-edge fab and workforce", 6),
        ("Most advanced lithography", 15),
    ],
    subtitle="Years to build an alternative, rough illustrative estimates",
    unit=" yrs",
    note="Illustrative estimates for this demo.",
    highlight=(3,),
)

ARTICLE = DemoArticle(
    slug="chokepoints-in-silicon",
    title="Chokepoints in silicon: semiconductor supply chains as statecraft",
    standfirst=(
        "The chip industry's extraordinary efficiency rests on extraordinary concentration. "
        "Governments have discovered that the same concentration gives them levers over "
        "their rivals, and that every pull on a lever teaches the other side to let go."
    ),
    author="rafael-okonkwo-marin",
    tags=("Technology", "Supply chains", "China", "Sanctions", "Taiwan", "Trade"),
    countries=("TW", "CN", "US", "KR", "JP", "NL"),
    regions=("east-asia",),
    actors=("wassenaar-arrangement",),
    sections=SECTIONS,
    figures=(
        DemoFigure(
            draw=_CHAIN,
            alt_text=(
                "Diagram of five boxes joined by arrows: design, led by the United States; "
                "equipment, from the US, the Netherlands and Japan; materials, from Japan, "
                "Europe, China and others; fabrication, highlighted, in Taiwan and South "
                "Korea; and assembly and test, in China, Taiwan and South-east Asia."
            ),
            caption="Each stage has its own geography; fabrication is the most concentrated.",
            after="Anatomy of a chip",
        ),
        DemoFigure(
            draw=_FAB_COST,
            alt_text=(
                "Line chart with illustrative values: the cost of a leading-edge fab rises "
                "from about 3 billion dollars in 2005 to about 20 billion in 2025."
            ),
            caption="Each generation supports fewer producers than the last.",
            credit="Geopolitics graphics desk (illustrative)",
            after="How concentration happened",
        ),
        DemoFigure(
            draw=_REPLACE,
            alt_text=(
                "Bar chart with illustrative estimates of years needed to build an "
                "alternative: about 2 for an assembly plant, 3 for a mature-node fab, 6 for a "
                "leading-edge fab with its workforce and 15 for advanced lithography."
            ),
            caption="The deeper the chokepoint, the longer the road to an alternative.",
            credit="Geopolitics graphics desk (illustrative)",
            after="What resilience would actually mean",
        ),
    ),
    age=datetime.timedelta(minutes=40),
)
