"""Thin routers: parse, authorize, call the engine/scoring, persist."""
