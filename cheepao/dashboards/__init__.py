"""Public aggregate pages: the summary register and Alkire-Foster figures of engine runs."""
