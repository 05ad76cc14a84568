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
