"""Prefect's own run history, pruned by every batch.

The server ``intake serve`` starts has Prefect's vacuum delete finished flow runs after
``RUN_HISTORY_DAYS``. A lone ``intake batch`` (from cron, say) runs on Prefect's temporary
server instead, whose vacuum never runs (Prefect 3.8: its ``run_in_ephemeral`` is false), so
its database under ``PREFECT_HOME`` grew with every night and slowed every run after it. Each
batch now deletes the finished flow runs older than that itself; their task runs and states go
with them. The reports, the store and the JSON logs keep what happened to every envelope.
"""

from __future__ import annotations

import datetime as dt
import logging

from prefect import get_client
from prefect.client.schemas.filters import (
    FlowRunFilter,
    FlowRunFilterEndTime,
    FlowRunFilterState,
    FlowRunFilterStateType,
)
from prefect.client.schemas.objects import StateType

from pipeline.prefect_server import RUN_HISTORY_DAYS

log = logging.getLogger(__name__)

_FINISHED = [StateType.COMPLETED, StateType.FAILED, StateType.CANCELLED, StateType.CRASHED]
#: Runs deleted per request (the most Prefect's bulk delete takes); a database that grew for
#: months is pruned over many pages.
_PAGE = 50


def prune_run_history(*, days: float = RUN_HISTORY_DAYS, now: dt.datetime | None = None) -> int:
    """Delete flow runs that finished more than ``days`` ago; return how many went.

    Runs still going (this batch's own) have no end time and are never touched.
    """
    cutoff = (now or dt.datetime.now(dt.UTC)) - dt.timedelta(days=days)
    old = FlowRunFilter(
        end_time=FlowRunFilterEndTime(before_=cutoff),
        state=FlowRunFilterState(type=FlowRunFilterStateType(any_=_FINISHED)),
    )
    body = {"flow_runs": old.model_dump(mode="json", exclude_unset=True), "limit": _PAGE}
    deleted = 0
    with get_client(sync_client=True) as client:
        # Prefect's bulk delete: one transaction per page of runs. Deleting them one request
        # at a time pruned 1.5 runs a second from a 257 MB database.
        while ids := _bulk_delete(client, body):
            deleted += len(ids)
    if deleted:
        log.info("pruned %d flow runs finished before %s from Prefect's history", deleted,
                 cutoff.date().isoformat())  # fmt: skip
    return deleted


def _bulk_delete(client, body: dict) -> list[str]:
    """One page of matching runs deleted by ``POST /flow_runs/bulk_delete``; their ids."""
    response = client.request("POST", "/flow_runs/bulk_delete", json=body)
    response.raise_for_status()
    return response.json().get("deleted", [])
