"""The targeting engine: Ibis expressions over the survey tables, no Django.

Public entry points live in `cheepao.engine.api`.
"""
