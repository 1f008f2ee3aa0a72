"""What kind of authority an assessment is of, and where: for comparing like with like.

Optional on every assessment; peer benchmarks filter by them. The types are
the kinds of English principal council (plus the councils of Wales, Scotland
and Northern Ireland, which are all unitary); the regions are England's nine
regions and the three other nations.
"""

from __future__ import annotations

AUTHORITY_TYPES: dict[str, str] = {
    "county": "County council",
    "district": "District council",
    "unitary": "Unitary authority",
    "metropolitan": "Metropolitan borough",
    "london-borough": "London borough",
}

REGIONS: dict[str, str] = {
    "north-east": "North East",
    "north-west": "North West",
    "yorkshire-humber": "Yorkshire and the Humber",
    "east-midlands": "East Midlands",
    "west-midlands": "West Midlands",
    "east": "East of England",
    "london": "London",
    "south-east": "South East",
    "south-west": "South West",
    "wales": "Wales",
    "scotland": "Scotland",
    "northern-ireland": "Northern Ireland",
}


class AuthorityProblem(ValueError):
    """An authority type or region that is not one of ours."""


def check_choice(value: object, choices: dict[str, str], what: str) -> str:
    """A type or region key ("" for none), from its key or its name in words."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        text = value.strip(" ").lower()
        for key, name in choices.items():
            if text in (key, name.lower()):
                return key
    raise AuthorityProblem(f"{value!r} is not {what}; use one of: {', '.join(choices)}")


def check_authority_type(value: object) -> str:
    return check_choice(value, AUTHORITY_TYPES, "an authority type")


def check_region(value: object) -> str:
    return check_choice(value, REGIONS, "a region")
