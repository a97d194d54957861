"""The seeded regions and countries: every ISO 3166-1 country, each in one region."""

import pycountry
import pytest

from places import world
from places.models import Country, Region

pytestmark = pytest.mark.django_db


def test_migrate_seeds_every_iso_country_each_in_a_region():
    assert Country.objects.count() == len(pycountry.countries) == 249
    assert not Country.objects.filter(region__isnull=True).exists()
    codes = set(Country.objects.values_list("code", flat=True))
    assert codes == {country.alpha_2 for country in pycountry.countries}


def test_the_mapping_leaves_no_country_out_and_names_each_once():
    assigned = [code for codes in world._CODES_BY_REGION.values() for code in codes.split()]
    assert len(assigned) == len(set(assigned))  # exactly one region each
    assert {code.upper() for code in assigned} == {c.alpha_2 for c in pycountry.countries}
    assert set(world._CODES_BY_REGION) == {slug for slug, *_ in world.REGIONS}


def test_seeded_regions_form_a_tree_with_their_countries():
    assert Region.objects.count() == len(world.REGIONS)
    assert Country.objects.get(code="RU").region.slug == "eurasia"
    assert Country.objects.get(code="IR").region.slug == "middle-east"
    assert Country.objects.get(code="NO").region.slug == "europe"
    gulf = Region.objects.get(slug="gulf")
    assert gulf.parent.slug == "middle-east"
    assert Country.objects.get(code="SA").region == gulf
    assert set(Region.objects.get(slug="middle-east").descendant_ids()) == {
        gulf.pk,
        Region.objects.get(slug="middle-east").pk,
    }


def test_readers_names_replace_formal_ones():
    assert Country.objects.get(code="RU").name == "Russia"
    assert Country.objects.get(code="IR").name == "Iran"
    assert Country.objects.get(code="RU").get_absolute_url() == "/countries/ru/"
