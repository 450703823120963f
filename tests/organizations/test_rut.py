import pytest
from django.core.exceptions import ValidationError

from participants.organizations.rut import check_digit, is_valid, normalize, validate_rut


@pytest.mark.parametrize(
    ("number", "digit"),
    [("12345678", "5"), ("11111111", "1"), ("76086428", "5"), ("10000013", "K"), ("60805000", "0")],
)
def test_check_digit(number, digit):
    assert check_digit(number) == digit


@pytest.mark.parametrize(
    "written", ["12.345.678-5", "12345678-5", "123456785", " 12.345.678-5 ", "012345678-5"]
)
def test_the_ways_people_write_a_rut_are_one(written):
    assert normalize(written) == "12345678-5"
    assert is_valid(written)


def test_lower_case_k_is_accepted_and_stored_upper_case():
    assert normalize("10.000.013-k") == "10000013-K"
    assert is_valid("10000013-k")


@pytest.mark.parametrize("wrong", ["12.345.678-4", "10000013-1", "0-0"])
def test_a_wrong_check_digit_is_refused_with_its_own_message(wrong):
    with pytest.raises(ValidationError) as caught:
        validate_rut(wrong)
    assert caught.value.code == "rut_check_digit"
    assert "dígito verificador" in caught.value.messages[0]


@pytest.mark.parametrize("garbage", ["abc", "12-345", "1234567890-1", "12345678-X"])
def test_something_that_is_not_a_rut_says_how_to_write_one(garbage):
    with pytest.raises(ValidationError) as caught:
        validate_rut(garbage)
    assert caught.value.code == "rut_shape"
