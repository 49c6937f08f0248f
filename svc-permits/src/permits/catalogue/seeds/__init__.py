"""Each city's starting catalogue of permit types, as data: ``<BPS city code>.json`` here.

A file is a JSON list of permit types, each exactly what ``PUT /v1/permits/types/{code}``
accepts (and what ``GET`` answers), and it is checked by that same schema when it is loaded:
a second city is a new file, not code. The files are package data, shipped in the wheel.
"""

from importlib import resources

from pydantic import TypeAdapter

from permits.catalogue.base import require_unique
from permits.catalogue.definition import PermitTypeDefinition
from permits.messages import _

_SEEDS = resources.files(__name__)
_CATALOGUE: TypeAdapter[list[PermitTypeDefinition]] = TypeAdapter(list[PermitTypeDefinition])


def cities() -> list[str]:
    """The BPS codes of the cities that have a seed catalogue."""
    return sorted(
        entry.name.removesuffix(".json")
        for entry in _SEEDS.iterdir()
        if entry.name.endswith(".json")
    )


def load(city_code: str) -> tuple[PermitTypeDefinition, ...]:
    """The city's seed catalogue, checked: `LookupError` if it has none, `ValueError` if invalid."""
    available = cities()
    if city_code not in available:
        folder = __name__.replace(".", "/")
        raise LookupError(
            f"There is no seed catalogue for city {city_code}: add {folder}/{city_code}.json "
            f"(cities with one: {', '.join(available) or 'none'})."
        )
    name = f"{city_code}.json"
    try:
        definitions = _CATALOGUE.validate_json((_SEEDS / name).read_bytes())
        require_unique(_("Permit type codes"), [definition.code for definition in definitions])
    except ValueError as invalid:  # a pydantic ValidationError is one too
        raise ValueError(f"The seed catalogue {name} is not valid: {invalid}") from invalid
    return tuple(definitions)
