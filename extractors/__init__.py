"""Pure, Prefect-free stages: each takes the previous stage's typed output and returns the next."""
