"""The service's logger, tracer and metrics (one set per function), and the per-outcome
record counts both ingest paths (batches, uploads) publish."""

from __future__ import annotations

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit

from common.observability import observability
from services.provisioning import SERVICE
from services.provisioning.models.records import RecordKind

obs = observability(SERVICE)


def add_record_metrics(
    metrics: Metrics, publisher_id: str, kind: RecordKind, found: dict[str, int]
) -> None:
    """`records_<outcome>` counts, by publisher and kind."""
    metrics.add_dimension(name="publisher", value=publisher_id)
    metrics.add_dimension(name="kind", value=kind.value)
    for outcome, number in found.items():
        metrics.add_metric(name=f"records_{outcome}", unit=MetricUnit.Count, value=number)
