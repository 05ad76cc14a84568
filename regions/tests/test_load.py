import pytest

from regions.models import Level, Region
from regions.services import regions_sync


@pytest.mark.slow
@pytest.mark.django_db
def test_the_whole_kemendagri_hierarchy_loads_and_again_changes_nothing():
    # How long it takes is measured by bench/regions_bench.py (bench/RESULTS.md), not asserted here.
    first = regions_sync()
    counts = {level: Region.objects.filter(level=level).count() for level in Level.values}
    assert counts == {1: 38, 2: 514, 3: 7285, 4: 83762}
    assert first.total == 91599
    again = regions_sync()
    assert (again.created, again.updated, again.deactivated) == (0, 0, 0)
    cibeunying = Region.objects.get(pk="32.04.06.1002")
    assert cibeunying.name == "Cibeunying"
    assert cibeunying.parent_id == "32.04.06"
    assert cibeunying.label == "Kel. Cibeunying"
    assert cibeunying.path.endswith("Kabupaten Bandung, Jawa Barat")


@pytest.mark.django_db
def test_a_code_that_left_the_reference_is_kept_but_marked_inactive():
    regions_sync(only={"32.04.06.1002"})
    Region.objects.create(code="32.04.06.9999", name="Desa Lama", kind="desa", level=4,
                          parent_id="32.04.06", path="Desa Lama", search_key="desa lama")
    result = regions_sync()
    assert result.deactivated == 1
    assert Region.objects.get(pk="32.04.06.9999").is_active is False
