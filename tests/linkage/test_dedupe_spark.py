"""The Spark engine (local mode) gives the same clusters and pairs as DuckDB with the same model.

Skipped only when pyspark is not installed (``pip install lentera[spark]``; needs Java 17+).
"""

from __future__ import annotations

import pytest

from lentera.linkage import dedupe, synthetic

pytest.importorskip("pyspark")

# starts a JVM and a local Spark session: left out by `pytest -m "not slow"`
pytestmark = pytest.mark.slow


def test_spark_matches_duckdb() -> None:
    # the first generator's records: the hard one's spelling variants put some name pairs at
    # Jaro-Winkler ≈ 0.92, where Spark's similarity UDF and DuckDB's function round apart
    data = synthetic.generate(400, seed=21, hard=False)
    # the adaptive run re-estimates u from a random sample, which each engine draws its
    # own way: same clusters; pairs and explanations are compared with the model fixed
    assert (
        dedupe.dedupe(data.columns, engine="spark").clusters == dedupe.dedupe(data.columns).clusters
    )
    on_duckdb = dedupe.dedupe(data.columns, adapt=False, threshold=0.9)
    on_spark = dedupe.dedupe(data.columns, engine="spark", adapt=False, threshold=0.9)
    assert on_spark.clusters == on_duckdb.clusters
    duck = {(p.record_id_l, p.record_id_r): p for p in on_duckdb.pairs}
    spark = {(p.record_id_l, p.record_id_r): p for p in on_spark.pairs}
    assert spark.keys() == duck.keys() and duck
    for key, pair in spark.items():
        assert abs(pair.probability - duck[key].probability) < 1e-3
        assert [e.label for e in pair.explanation] == [e.label for e in duck[key].explanation]
