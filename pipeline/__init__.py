"""The intake pipeline: Prefect flows, the CLI, the mailroom service and the review station."""

from pipeline.memory import limit_malloc_arenas

# Before any thread allocates: page threads each holding an arena of their own keep freed
# page images from one another (``memory.MALLOC_ARENAS``).
limit_malloc_arenas()
