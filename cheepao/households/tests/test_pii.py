from cheepao.households.pii import format_pin, mask_pin


def test_mask_keeps_first_digit_and_last_three():
    assert mask_pin("1234567890123") == "1-xxxx-xxxxx-12-3"
    assert mask_pin("") == ""
    assert mask_pin(None) == ""
    assert mask_pin("12345") == "xxxxx"


def test_format_groups_like_the_card():
    assert format_pin("1234567890123") == "1-2345-67890-12-3"
    assert format_pin("123") == "123"
