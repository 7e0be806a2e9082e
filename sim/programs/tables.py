"""Imports every table of the programs wing, so SQLModel.metadata (and Alembic) know them."""

from sim.programs import lti_models, models, models_extra, records

__all__ = ["lti_models", "models", "models_extra", "records"]
