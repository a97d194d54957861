"""Actors the demo articles are about; the descriptions are our own one-line summaries."""

from .spec import DemoActor

ACTORS = (
    DemoActor(
        slug="arctic-council",
        name="Arctic Council",
        kind="organisation",
        description="The forum of the eight Arctic states and the region's Indigenous peoples.",
    ),
    DemoActor(
        slug="nato",
        name="NATO",
        kind="alliance",
        description="The North Atlantic alliance, now with every Nordic state as a member.",
    ),
    DemoActor(
        slug="mekong-river-commission",
        name="Mekong River Commission",
        kind="organisation",
        description="The body through which the lower Mekong states share data on the river.",
    ),
    DemoActor(
        slug="nile-basin-initiative",
        name="Nile Basin Initiative",
        kind="organisation",
        description="A partnership of the Nile's riparian states on managing its water.",
    ),
    DemoActor(
        slug="wassenaar-arrangement",
        name="Wassenaar Arrangement",
        kind="organisation",
        description="The multilateral regime for export controls on dual-use technology.",
    ),
)
