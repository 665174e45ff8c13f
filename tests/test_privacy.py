"""The privacy guard on real-looking sentences: what must be refused, warned about, or pass."""
from __future__ import annotations

import pytest

from ecotool.privacy import possible_names, problems, require_clean
from ecotool.errors import OperationError

REFUSED = [
    ("She has moved to LS6 2BT with her sister", "postcode"),
    ("lives near ls62bt now", "postcode"),
    ("Visit booked at the flat, NS1 1EZ, on Tuesday", "postcode"),
    ("Call her on 07700 900123 after six", "phone"),
    ("Mobile is 07911123456, partner's phone", "phone"),
    ("Landline +44 161 496 0000 only works evenings", "phone"),
    ("Her email is mum.to.be@example.com if texts fail", "email"),
    ("NHS number 943 476 5919 on the referral form", "nhs_number"),
    ("Referral says 9434765919 for the baby", "nhs_number"),
    ("Born 12/03/1994 so she is older than most", "date_of_birth"),
    ("DOB 3rd March 1994", "date_of_birth"),
    ("date of birth 1994-03-12", "date_of_birth"),
    ("Baby arrived on 14 November 2026, early", "date_of_birth"),
    ("born March 3, 2001", "date_of_birth"),
    ("Born 04/07/98, she is 28.", "date_of_birth"),
    ("DOB 4.7.98", "date_of_birth"),
    ("She lives at 14 Hill Street, flat 3.", "address"),
    ("moved to 2a Church Lane last week", "address"),
    ("Her Instagram is @janedoe98", "handle"),
    ("Code is ns1-1ez on the letter", "postcode"),
]

PASSING = [
    "she finds the group at the Sure Start centre too far",
    "Partner answered twice and said she was asleep; try texting first.",
    "No bus to the clinic on Sundays; the 42 only runs weekdays.",
    "Three calls over 14 days, 2 texts, no reply yet.",
    "Baby is 6 weeks old and feeding 8 to 10 times a day.",
    "Group starts at 10:30, the same time as nursery pick-up.",
    "Money is tight; food bank voucher from the health visitor helped.",
    "English is her second language; Polish interpreter next visit.",
    "Felt rushed on the ward and did not ask for help with latching.",
    "Her mother thinks formula is better and says so at every visit.",
    "Met at the Children's Centre drop-in, about 20 minutes from home.",
    "Referral came 3 weeks late because the discharge list had no contact details.",
    "Will try again on Monday evening when her partner is at work.",
    "Said she may come in March if the weather is better.",
    "Ward 7 was busy; 2 midwives for 30 beds.",
    "Raised it with my supervisor; she thinks the commissioner should hear about it.",
    "May is a hard month for her with the older one off school.",
    "Christian church group on the estate runs a baby cafe.",
    "Faith groups help with food parcels.",
    "Summer holidays make the group quieter.",
    "Group runs 10.30-12.00; bus X10 stops outside.",
    "Baby is 3 weeks old, latch 7/10 today.",
    "She will try to rest and may call back; mark it in the diary.",
]


@pytest.mark.parametrize("text,kind", REFUSED)
def test_identifying_details_are_refused(text, kind):
    found = problems(text)
    assert [f.kind for f in found] == [kind], found
    with pytest.raises(OperationError) as error:
        require_clean(text, "text")
    message = error.value.message
    assert "at word" in message and error.value.field == "text"


@pytest.mark.parametrize("text", PASSING)
def test_ordinary_context_passes(text):
    assert problems(text) == []
    assert possible_names(text) == []


def test_the_message_names_each_detail_and_where_without_repeating_it():
    text = "Ring 07700 900123 or visit LS6 2BT"
    with pytest.raises(OperationError) as error:
        require_clean(text, "text")
    assert error.value.message == "Remove a phone number at word 2; a UK postcode at word 6 before saving."
    assert "07700" not in error.value.message and "LS6" not in error.value.message


def test_invalid_nhs_checksum_is_not_an_nhs_number():
    assert "nhs_number" not in [f.kind for f in problems("code 943 476 5910 on the leaflet")]


@pytest.mark.parametrize("text,names", [
    ("Sarah answered and said she would pass the message on", ["Sarah"]),
    ("Spoke to Amina and her sister Wiktoria at the door", ["Amina", "Wiktoria"]),
    ("Aoife prefers texts", ["Aoife"]),
    ("Sarah's mum said formula is easier.", ["Sarah"]),
    ("sarah said she would come on tuesday", ["sarah"]),
    ("Mum is called LEE.", ["LEE"]),
])
def test_personal_names_are_warned_about(text, names):
    assert problems(text) == []
    assert possible_names(text) == names


def test_staff_names_are_warned_about_in_any_case():
    assert possible_names("handed over to pat on friday", ("Pat Okafor",)) == ["pat"]
    assert possible_names("handed over to the team", ("Pat Okafor",)) == []
    assert possible_names("Spoke with Amina's supervisor", ("Amina",)) == ["Amina"]


def test_roles_in_a_display_name_are_not_names():
    staff = ("Sam (supervisor)", "Chris (commissioner)")
    assert possible_names("asked my supervisor and the commissioner", staff) == []
    assert possible_names("asked sam about it", staff) == ["sam"]
