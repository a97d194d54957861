"""Demo article: Arctic sea lanes and the politics of a thawing ocean."""

import datetime
from functools import partial

from . import figures
from .spec import DemoArticle, DemoFigure, section, subsection

SECTIONS = (
    section(
        "A seasonal ocean, not a new one",
        """
        Every September the sea ice that covers the Arctic Ocean shrinks to its smallest extent
        of the year, and for several decades that minimum has been getting smaller. The thicker,
        older ice that once survived many summers has given way to thin ice that forms in winter
        and melts the following season. Satellite records make the trend plain, even if the
        year-to-year numbers bounce around.[^1]

        It is tempting to describe the result as a new ocean opening to trade. That is the wrong
        picture. What has emerged is a seasonal ocean: navigable for a few months, treacherous
        for the rest, and unpredictable from one year to the next. A shipping line that plans
        its network around a route open in some Augusts and closed in others is not planning a
        network at all. It is gambling.

        That distinction matters for policy. Governments that treat the Arctic as a highway
        about to open tend to overinvest in ports nobody will use and underinvest in the dull
        capabilities that seasonal traffic actually needs: charts, weather forecasting,
        icebreaker escort, search and rescue, and oil-spill response. The politics of the Arctic
        is less about a race for a prize than about who pays for the infrastructure of a
        difficult place, and who writes the rules for using it.

        [^1]: For long-running sea-ice records, see the archives of the US National Snow and Ice
            Data Center.
        """,
    ),
    section(
        "Three routes, three politics",
        """
        People often speak of "the Arctic route" as though it were one thing. In practice there
        are three, and each sits inside a different legal and political argument. The
        differences explain why no single forum can settle how Arctic shipping should be
        governed, and why the states most involved so often talk past one another.
        """,
    ),
    subsection(
        "The Northern Sea Route",
        """
        The Northern Sea Route runs along Russia's Arctic coast, from the Kara Sea to the Bering
        Strait. It is the most developed of the three, backed by a fleet of nuclear-powered
        icebreakers and a state that sees the route as a national transport corridor rather than
        an international waterway. Moscow requires ships to seek permission to sail it, sets
        conditions for ice-class and escort, and has given its state nuclear corporation,
        Rosatom, a central role in developing the route.

        Most traffic on the route is not the Europe-to-Asia transit that headlines imagine. It
        is destination shipping: liquefied natural gas, oil and metals leaving Russia's northern
        projects, and supplies going in. The route is, first of all, an export pipeline that
        happens to float.
        """,
    ),
    subsection(
        "The Northwest Passage",
        """
        The Northwest Passage threads through the Canadian Arctic archipelago. Canada regards
        these waters as internal, the sea equivalent of its land territory, and enclosed them
        with straight baselines in the 1980s. The United States, along with other maritime
        powers, considers the passage an international strait through which ships enjoy a right
        of transit. The two allies have managed the dispute for decades by agreeing to disagree;
        a 1988 agreement on icebreaker voyages set the legal question aside rather than
        answering it.

        The passage remains harder to use than its Russian counterpart. Its channels are shallow
        in places, poorly charted in others, and choked with multi-year ice that drifts south
        from the high Arctic. For now the dispute is largely one of principle. It would become
        urgent only if commercial traffic grew.
        """,
    ),
    subsection(
        "The transpolar route",
        """
        The third route does not yet exist in any commercial sense. A transpolar route would run
        straight across the central Arctic Ocean, near the North Pole, mostly through high seas
        beyond any state's exclusive economic zone. Ships on it would need no one's permission.
        That is precisely why it attracts interest from states that dislike depending on Russian
        consent.

        It will be usable, if ever, only late in this century and only in summer. Yet it already
        shapes diplomacy. The 2018 agreement to prevent unregulated fishing in the central
        Arctic Ocean, which brought together the coastal states and distant-water fishing
        powers, is a sign of how governments prepare the rules for a space before the traffic
        arrives.
        """,
    ),
    section(
        "The arithmetic of distance",
        """
        The case for Arctic shipping begins with geography. A voyage from northern Europe to
        north-east Asia along the Russian coast can be roughly a third shorter than the same
        voyage through the Suez Canal. Shorter distance means less fuel, fewer days at sea and,
        in principle, lower emissions per voyage.

        But distance is only one term in the equation. Ships in ice must slow down, sometimes to
        a crawl. Schedules become uncertain because a week of unexpected ice can erase the
        saving. Ice-class hulls are heavier and costlier to build and to run. The largest
        container ships, which make today's Asia-Europe trade cheap, are too big for the shallow
        straits along the Russian coast. A shorter route that only smaller ships can use, for
        part of the year, does not compete with a longer route that carries the world's largest
        vessels every day.

        Marit Solberg, who models polar voyages for a shipping consultancy in Bergen, puts the
        point in terms of reliability rather than speed: a container line sells a timetable, and
        a timetable is only as good as its worst week. Bulk carriers moving a single cargo from
        a northern mine or gas terminal have no such constraint, which is why they, and not
        container ships, dominate Arctic traffic.
        """,
    ),
    subsection(
        "Insurance, icebreakers and hidden costs",
        """
        Underwriters price Arctic voyages as the risky undertakings they are. Premiums reflect
        the distance from salvage tugs and repair yards, the difficulty of rescuing a crew, and
        the scarcity of data about how ships behave in ice over years of use. Icebreaker escort
        adds fees, and the escort itself may not be available when a ship needs it.

        Crews need training in ice navigation, and the IMO's Polar Code now requires it for
        ships operating in polar waters.[^2] Each of these costs is reasonable on its own.
        Together they narrow the set of voyages for which the Arctic makes commercial sense to a
        few niches: resource exports, supply of remote communities, and the occasional
        demonstration transit that is as much about politics as profit.

        [^2]: International Maritime Organization, International Code for Ships Operating in
            Polar Waters (Polar Code), in force since 1 January 2017.
        """,
    ),
    section(
        "Law at the edge of the ice",
        """
        The United Nations Convention on the Law of the Sea is the framework every Arctic state
        invokes, including the United States, which has not ratified it but treats most of it as
        customary law. The convention contains one provision written with the Arctic in mind.
        Article 234 allows coastal states to adopt and enforce non-discriminatory laws to
        prevent pollution from ships in ice-covered areas within their exclusive economic
        zones.[^3]

        Russia and Canada both lean on Article 234 to justify rules stricter than those
        elsewhere at sea. Critics argue that the article was meant to protect the environment,
        not to license a permit regime that functions as control over passage. As the ice
        retreats, the question becomes sharper: what counts as "ice-covered" when the ice is
        present for only part of the year? The text gives no clear answer, and the states with
        most at stake have strong reasons to read it differently.

        The Polar Code added a layer of shared technical standards for ship design, equipment,
        operations and crew training. It did not resolve the disputes about sovereignty. It does
        show how the Arctic is usually governed in practice: not by grand settlements but by
        detailed, technical agreements that let states cooperate while reserving their legal
        positions.

        [^3]: United Nations Convention on the Law of the Sea (1982), Article 234, "Ice-covered
            areas".
        """,
    ),
    section(
        "Russia's northern wager",
        """
        No state has bet more on the Arctic than Russia. A large share of its gas reserves lies
        in the north, and the Northern Sea Route is the way to get that gas to Asian buyers
        without crossing anyone else's territory. Moscow has invested in icebreakers, ports and
        military bases along the coast, and frames the route as a pillar of national
        development.

        Sanctions imposed after the full-scale invasion of Ukraine in 2022 complicated the plan.
        Western partners left joint projects, access to specialised technology narrowed, and
        ship classification and insurance became harder to obtain. Russia's response has been to
        turn east, inviting Asian shipping and investment to replace European capital.

        The result is a paradox. Russia wants the route to be busy, because traffic validates
        its investment, but it also wants to control the route, because control is the basis of
        its legal claim. Foreign ships that use it on Russia's terms strengthen Moscow's
        position. Foreign navies that insist on freedom of navigation challenge it. Any state
        considering the route must decide which of those messages it wants to send.
        """,
    ),
    section(
        "China and the idea of a near-Arctic state",
        """
        China has no Arctic coastline. In its 2018 white paper on Arctic policy it nonetheless
        described itself as a "near-Arctic state" with legitimate interests in the region's
        shipping, resources and science, and it proposed a "Polar Silk Road" linking Arctic
        routes to its wider infrastructure diplomacy.[^4]

        Beijing has observer status at the Arctic Council, funds polar research, operates
        research icebreakers and has invested in Russian Arctic energy projects. Its interest is
        easy to understand. Shorter routes to European markets, diversified energy supplies and
        a seat at the table where future rules are written all serve long-term Chinese goals.

        For the Arctic states the question is how much of that interest to accommodate.
        Scientific cooperation is broadly welcome. Investment in ports and telecommunications
        near military installations is viewed with suspicion, particularly in the Nordic
        countries and Canada. Russia, now more dependent on Chinese buyers and capital, has less
        room to say no than it once had, and less than it would like.

        [^4]: State Council Information Office of the People's Republic of China, China's Arctic
            Policy (white paper), January 2018.
        """,
    ),
    section(
        "What Canada and the Nordic states want",
        """
        The other Arctic states want predictability above all. Canada wants its legal position
        on the Northwest Passage respected, and it wants the capacity to back that position with
        presence: patrol ships, surveillance and communities that are supplied and secure.
        Norway, which has managed its northern waters for decades, wants the rules on fishing
        and shipping to be kept technical and stable, insulated from great-power rivalry.

        Denmark, Greenland, Iceland, Finland and Sweden each bring their own concerns, from
        Greenland's push for economic self-reliance to the new security outlook of Finland and
        Sweden as members of NATO. What unites them is the fear that the Arctic will be governed
        by whoever has the most icebreakers rather than by agreed rules.

        The Arctic Council, the region's main intergovernmental forum, was built on the idea
        that science and environmental protection could be kept apart from military questions.
        Its work was largely paused in 2022 and has resumed only in limited form. The habit of
        cooperation it represented has not disappeared, but it now depends on technical bodies,
        coast guards and scientists continuing to talk when their governments do not.
        """,
    ),
    section(
        "The risks nobody prices",
        """
        The most serious risks of Arctic shipping fall on people who do not decide on the
        voyages. An oil spill in ice is far harder to contain than one in open water: oil can be
        trapped under ice, dispersants work poorly in the cold, and response equipment may be
        thousands of kilometres away. The International Maritime Organization has banned the use
        and carriage of heavy fuel oil in Arctic waters, though exemptions and waivers delay its
        full effect until the end of the decade.

        Soot from ship engines, known as black carbon, darkens snow and ice and speeds up
        melting: a feedback loop in which the traffic made possible by warming contributes to
        further warming. Underwater noise disturbs marine mammals on which Indigenous
        communities depend. Search and rescue across such distances stretches every coast guard
        in the region, despite a 2011 agreement among the Arctic states to divide
        responsibilities.

        None of these costs appears on a shipping company's balance sheet unless regulation puts
        it there. That is the strongest argument for common rules: without them, the cheapest
        voyage will tend to be the most dangerous one.
        """,
    ),
    section(
        "What to watch",
        """
        Three indicators will tell us more about the Arctic's future than any single transit.
        The first is insurance: if underwriters begin to treat routine Arctic voyages as
        ordinary risks, traffic will follow. The second is the fleet of icebreakers and
        ice-class ships being ordered, because shipyards and navies plan on decades, not
        seasons. The third is the quality of cooperation among coast guards and
        search-and-rescue services, which is where the region's capacity to manage accidents
        will be tested first.

        The thaw will not turn the Arctic into a second Suez. It will make the region busier,
        more contested and more exposed to accidents whose consequences cross borders. The
        states that shape its rules now, while traffic is still modest, will find it far easier
        to govern than those who wait for a crisis to force the issue.
        """,
    ),
)

_DISTANCES = partial(
    figures.bar_chart,
    "Rotterdam to Yokohama: three ways round",
    [
        ("Via the Cape of Good Hope", 14400),
        ("Via the Suez Canal", 11200),
        ("Via the Northern Sea Route", 7400),
    ],
    subtitle="Approximate sailing distance in nautical miles",
    unit=" nm",
    note="Rounded, approximate distances for illustration.",
    highlight=(2,),
)

_ROUTES = partial(
    figures.schematic_map,
    "Three Arctic routes between the Atlantic and the Pacific",
    subtitle="Schematic, not to scale",
    regions=(
        (
            "Russia",
            [(24, 0), (100, 0), (100, 38), (88, 30), (72, 22), (52, 20), (34, 20), (24, 14)],
        ),
        ("Europe", [(0, 0), (20, 0), (20, 12), (12, 24), (0, 28)]),
        ("Greenland", [(4, 40), (20, 36), (25, 52), (19, 72), (8, 74), (3, 58)]),
        (
            "Canada and Alaska",
            [(28, 100), (30, 86), (44, 82), (62, 82), (80, 76), (100, 62), (100, 100)],
        ),
    ),
    routes=(
        ("Northern Sea Route", [(12, 32), (30, 27), (55, 26), (80, 32), (86, 50)], (55, 33)),
        ("Northwest Passage", [(24, 92), (40, 76), (62, 75), (82, 68), (86, 50)], (56, 68)),
        ("~Transpolar route", [(24, 34), (50, 50), (86, 50)], (70, 56)),
    ),
    places=(("North Pole", (50, 50), "below"), ("Bering Strait", (86, 50), "right")),
    note="Dashed: possible late in the century, in summer only.",
)

_SEASON = partial(
    figures.line_chart,
    "Longer open seasons, still short",
    ["1990s", "2000s", "2010s", "2020s"],
    [("Northern Sea Route", [20, 35, 60, 80]), ("Northwest Passage", [5, 15, 30, 40])],
    y_max=100,
    y_step=20,
    unit=" d",
    subtitle="Days a year an ice-class ship might sail without escort",
    note="Illustrative values for this demo, not measurements.",
)

ARTICLE = DemoArticle(
    slug="arctic-sea-lanes-long-thaw",
    title="The long thaw: who will govern the Arctic's new sea lanes?",
    standfirst=(
        "Melting ice is opening a seasonal shortcut between Europe and Asia. The harder "
        "question is not whether ships can pass but whose rules they will sail under, and "
        "whether the Arctic's fragile habit of cooperation survives the journey."
    ),
    author="ingrid-halvorsen",
    tags=("Arctic", "Shipping", "Climate", "Russia", "China", "International law", "Trade"),
    countries=("RU", "NO", "CN", "US", "CA"),
    regions=("arctic",),
    actors=("arctic-council", "nato"),
    sections=SECTIONS,
    figures=(
        DemoFigure(
            draw=_ROUTES,
            alt_text=(
                "Schematic map of the Arctic Ocean with three routes from the Atlantic to "
                "the Bering Strait: the Northern Sea Route along Russia's coast, the Northwest "
                "Passage through the Canadian islands, and a dashed transpolar route across "
                "the North Pole."
            ),
            caption="The three routes sit in three different legal arguments.",
            after="Three routes, three politics",
        ),
        DemoFigure(
            draw=_DISTANCES,
            alt_text=(
                "Bar chart of approximate distances from Rotterdam to Yokohama: about 14,400 "
                "nautical miles round the Cape of Good Hope, 11,200 through Suez and 7,400 "
                "along the Northern Sea Route."
            ),
            caption="Shorter on the map; the savings shrink once ice, speed and ship size count.",
            after="The arithmetic of distance",
        ),
        DemoFigure(
            draw=_SEASON,
            alt_text=(
                "Line chart with illustrative values: the open season on the Northern Sea "
                "Route rises from about 20 days in the 1990s to 80 in the 2020s, and on the "
                "Northwest Passage from 5 to 40."
            ),
            caption="Even a lengthening season leaves most of the year closed.",
            credit="Geopolitics graphics desk (illustrative)",
            after="A seasonal ocean, not a new one",
        ),
    ),
    age=datetime.timedelta(minutes=20),
)
