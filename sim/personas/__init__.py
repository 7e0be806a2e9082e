"""Persona library: the schema (contract) and the strict loader with line-numbered errors."""

from sim.personas.loader import (
    PersonaError,
    PersonaIssue,
    load_library,
    load_persona,
    parse_persona,
    persona_files,
)
from sim.personas.schema import Persona, Stage, Stance

__all__ = [
    "Persona",
    "PersonaError",
    "PersonaIssue",
    "Stage",
    "Stance",
    "load_library",
    "load_persona",
    "parse_persona",
    "persona_files",
]
