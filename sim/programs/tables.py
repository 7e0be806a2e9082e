"""Imports every table of the programs wing, so SQLModel.metadata (and Alembic) know them."""

from sim.programs import lti_models, models, models_extra, records
from sim.programs.lti import models as lti_tables

__all__ = ["lti_models", "lti_tables", "models", "models_extra", "records"]
