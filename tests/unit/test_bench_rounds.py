"""``intake bench``: each contender is represented by its median run, and all read as many
pages at once."""

from pipeline.bench import Run, _figures, _median_run, jobs_config
from schemas.config import load_config


def _run(seconds: float, cpu: float) -> Run:
    return Run(name="pipeline", pages=90, seconds=seconds, peak_mb=500.0, cpu_seconds=cpu,
               extra={"stages": {"page.render": 1.0}})  # fmt: skip


def test_the_median_run_stands_for_the_rounds_and_keeps_every_round():
    runs = [_run(84.2, 154), _run(78.1, 144), _run(80.0, 150)]
    middle = _median_run(runs)
    assert middle.seconds == 80.0 and middle.cpu_seconds == 150  # one real run, not a blend
    assert middle.extra["rounds_s"] == [84.2, 78.1, 80.0]
    assert middle.extra["stages"] == {"page.render": 1.0}


def test_an_even_count_takes_the_lower_middle_and_one_round_adds_nothing():
    assert _median_run([_run(90.0, 1), _run(70.0, 1)]).seconds == 70.0
    assert "rounds_s" not in _median_run([_run(70.0, 1)]).extra


def test_ratios_come_from_the_median_runs():
    pipe = _median_run([_run(80.0, 1), _run(100.0, 1), _run(90.0, 1)])
    tess = Run(name="tesseract", pages=90, seconds=45.0, peak_mb=1.0, cpu_seconds=1.0)
    figures = _figures([pipe, tess], jobs=2, envelopes=11)
    assert figures["pipeline_vs_tesseract"] == 0.5


def test_the_pipeline_contender_runs_as_many_jobs_as_the_others(tmp_path):
    """``intake bench --jobs 1``: the pipeline's configuration says 1, the rest as default."""
    cfg = load_config(jobs_config(tmp_path / "jobs.toml", 1))
    assert cfg.jobs == 1
    assert cfg.model_copy(update={"jobs": load_config().jobs}) == load_config()
