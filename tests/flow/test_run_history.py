"""Every batch prunes Prefect's run history past its retention, on the real Prefect server."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_client
from prefect.exceptions import ObjectNotFound

from pipeline.flows import intake_batch


@flow
def _earlier_run() -> int:
    return 1


def _exists(run_id) -> bool:
    with get_client(sync_client=True) as client:
        try:
            client.read_flow_run(run_id)
        except ObjectNotFound:
            return False
    return True


def test_a_batch_prunes_runs_past_their_retention(tmp_path: Path) -> None:
    """GIVEN a finished flow run WHEN a batch runs THEN the run stays (it is not 14 days old);
    WHEN a batch keeping no history runs THEN it is deleted, and the batch's own run, still
    going while it prunes, is not."""
    run_id = _earlier_run(return_state=True).state_details.flow_run_id
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    assert intake_batch(inbox, tmp_path / "data") == []
    assert _exists(run_id)
    state = intake_batch(inbox, tmp_path / "data", history_days=0, return_state=True)
    assert state.is_completed()
    assert not _exists(run_id)
    assert _exists(state.state_details.flow_run_id)
