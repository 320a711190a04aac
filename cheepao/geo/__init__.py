"""Thailand's administrative areas (DOPA codes): provinces, districts, subdistricts."""
