"""Deterministic synthetic จปฐ. survey data for demos, tests and load runs.

Real survey records are personal data under the PDPA, so nothing in development, CI or a
public demo may use them. This package produces tables in the survey data contract
(`cheepao.engine.contract`) with real DOPA geography, valid-looking identifiers and
deprivation rates shaped like TPMAP's published registers, the same bytes for the same
seed. No Django here: the generator runs in the CLI and in plain scripts.
"""

from cheepao.synth.generator import Progress, Summary, SynthError, generate, parse_years
from cheepao.synth.scales import SCALES, Scale

__all__ = ["SCALES", "Progress", "Scale", "Summary", "SynthError", "generate", "parse_years"]
