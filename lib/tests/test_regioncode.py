from lib.regioncode import ancestors_of, is_within, normalize, parent_of


def test_codes_nest_by_prefix_without_false_siblings():
    assert is_within("32.04.06.1002", "32.04")
    assert is_within("32.04", "32.04")
    assert not is_within("32.40.01", "32.4")
    assert not is_within("32.04", "32.04.06")
    assert is_within("11.01", "")


def test_normalize_accepts_plain_digits():
    assert normalize("3204061002") == "32.04.06.1002"
    assert normalize(" 32.04 ") == "32.04"
    assert parent_of("32.04.06") == "32.04"
    assert ancestors_of("32.04.06") == ["32", "32.04", "32.04.06"]


def test_within_q_selects_in_the_database_what_is_within_says(regions):
    """The filter is one range of codes: the code itself and those under it, never a sibling whose
    code starts with the same digits ("32.7" is not within "32.71", "32.71" not within "32.7")."""
    from lib.regioncode import within_q
    from regions.models import Region

    codes = set(Region.objects.values_list("code", flat=True))
    assert len(codes) >= 8, codes  # the test regions and their ancestors
    for root in sorted({c for c in codes if c.count(".") < 3} | {"32.7", "3", "32.04.0", "32.04.06.1002"}):
        found = set(Region.objects.filter(within_q("code", root)).values_list("code", flat=True))
        assert found == {c for c in codes if is_within(c, root)}, root
