"""The same flows on a real Dask cluster (distributed.LocalCluster, worker processes)."""

from __future__ import annotations

import shutil
from pathlib import Path

from distributed import Client, LocalCluster, get_task_stream

from pipeline.flows import intake_batch


def test_an_envelope_runs_on_dask_workers_with_the_same_outcome(
    tmp_path: Path, sample_scans: Path, sample_batch
) -> None:
    """GIVEN a cluster of two worker processes, WHEN a batch runs with runner.kind = "dask",
    THEN its page tasks ran on the workers and the report equals the threaded run's."""
    inbox = tmp_path / "inbox"
    shutil.copytree(sample_scans / "p0008", inbox / "p0008")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:  # fmt: skip
        config = tmp_path / "dask.toml"
        config.write_text(f'[runner]\nkind = "dask"\ndask_address = "{cluster.scheduler_address}"\n')
        with get_task_stream(client) as stream:
            (report,) = intake_batch(inbox, tmp_path / "data", config,
                                     {"p0008": sample_batch[1]["p0008"]["received_date"]})  # fmt: skip
    ran_on = {t["worker"] for t in stream.data}
    assert len(stream.data) >= len(report.pages) == 6, "every page task ran on the cluster"
    assert len(ran_on) == 2, "both worker processes took pages"
    threaded = sample_batch[2]["p0008"]
    assert report.status == threaded.status
    assert [f.subject for f in report.flags] == [f.subject for f in threaded.flags]
    assert {n: f.value for n, f in report.fields.items()} == {
        n: f.value for n, f in threaded.fields.items()
    }
