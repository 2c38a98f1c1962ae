"""Mutation check of the reliability tests: break one mechanism on purpose, run the tests
that guard it, expect them to fail; then restore the file. The list (and the results of
the last run) is in docs/reliability.md.

    .venv/bin/python -m tests.mutations                 # every fast break
    .venv/bin/python -m tests.mutations --slow          # also the CDK and e2e ones
    .venv/bin/python -m tests.mutations outbox-second-transaction relay-drops-failures

A break is "caught" when its tests fail (pytest exit 1) with the break in place; a test
run that errors for another reason (exit 2-5) is reported as such, not as caught.
Edits are made in place and always undone (run it on a clean tree).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Break:
    name: str
    claim: str
    file: str
    edits: tuple[tuple[str, str], ...]
    tests: tuple[str, ...]
    slow: bool = False


RELAY_TESTS = "tests/integration/local/test_local_outbox_relay.py"
BREAKS = (
    Break(
        "outbox-second-transaction",
        "The event is written in the same transaction as the state change",
        "services/provisioning/adapters/records.py",
        (
            (
                "            items: list[dict[str, Any]] = []\n",
                "            items: list[dict[str, Any]] = []\n"
                "            later: list[dict[str, Any]] = []\n",
            ),
            (
                "                items.append(outbox_put(self._table, write.envelope))\n"
                "                owners += [((position,), True), ((position,), False)]\n",
                "                later.append(outbox_put(self._table, write.envelope))\n"
                "                owners += [((position,), True)]\n",
            ),
            (
                "                self._db.transact_write_items(TransactItems=items)\n"
                "                return failed\n",
                "                self._db.transact_write_items(TransactItems=items)\n"
                "                self._db.transact_write_items(TransactItems=later)\n"
                "                return failed\n",
            ),
        ),
        ("tests/integration/provisioning/test_provisioning_crash.py",),
    ),
    Break(
        "outbox-condition-removed",
        "A re-sent event id is a failed transaction, not a second event",
        "common/outbox.py",
        (('            "ConditionExpression": "attribute_not_exists(pk)",\n', ""),),
        (
            f"{RELAY_TESTS}::test_an_event_id_enters_the_outbox_once_and_takes_its_state_change_with_it",
        ),
    ),
    Break(
        "relay-drops-failures",
        "The relay reports what failed so the stream retries it",
        "common/relay_handler.py",
        (("    return [e.sequence_number for e in remaining]\n", "    return []\n"),),
        (
            f"{RELAY_TESTS}::test_a_failed_put_events_is_retried_and_not_lost",
            f"{RELAY_TESTS}::test_an_outage_longer_than_any_retry_budget_loses_nothing",
        ),
    ),
    Break(
        "relay-bounded-retries",
        "The relay retries until the event is on the bus (no retry budget)",
        "common/outbox_relay.py",
        (
            (
                "    max_retry_attempts: int | None = None\n",
                "    max_retry_attempts: int | None = 3\n",
            ),
        ),
        (f"{RELAY_TESTS}::test_an_outage_longer_than_any_retry_budget_loses_nothing",),
    ),
    Break(
        "relay-poison-blocks",
        "An entry EventBridge refuses as malformed is parked, not retried forever",
        "common/outbox_relay.py",
        (
            (
                'POISON_ENTRY_ERRORS = frozenset({"MalformedDetail", "InvalidArgument", '
                '"RedactionFailure"})',
                "POISON_ENTRY_ERRORS: frozenset[str] = frozenset()",
            ),
        ),
        (f"{RELAY_TESTS}::test_a_poison_entry_is_parked_in_the_outbox_and_the_others_pass",),
    ),
    Break(
        "relay-no-bisect",
        "A function error is bisected down to the record that causes it",
        "common/outbox_relay.py",
        (("    bisect_on_error: bool = True\n", "    bisect_on_error: bool = False\n"),),
        (f"{RELAY_TESTS}::test_a_function_error_is_bisected_down_to_the_record_that_causes_it",),
    ),
    Break(
        "stream-no-max-age",
        "Records past the maximum age reach the relay DLQ (metadata) and stay in the outbox",
        "infra/local/stream_poller.py",
        (("        if expired:\n", "        if expired and False:\n"),),
        (
            f"{RELAY_TESTS}::test_records_past_the_maximum_age_reach_the_dlq_as_metadata_and_"
            "republish_recovers_them",
        ),
    ),
    Break(
        "outbox-expires-unpublished",
        "An outbox row expires only after it was published",
        "common/outbox.py",
        (
            (
                '        "envelope": envelope.model_dump_json(),\n    }\n',
                '        "envelope": envelope.model_dump_json(),\n'
                "        EXPIRES_AT: str(int(envelope.occurred_at.timestamp()) + 7 * 86400),\n"
                "    }\n",
            ),
        ),
        (
            f"{RELAY_TESTS}::test_an_outbox_event_reaches_the_bus_exactly_once_then_is_marked_"
            "published",
        ),
    ),
    Break(
        "relay-no-published-mark",
        "The relay marks what it published (republish --unpublished finds the rest)",
        "common/relay_handler.py",
        (("            mark_published(dynamodb, table, published)\n", "            pass\n"),),
        (
            f"{RELAY_TESTS}::test_an_outbox_event_reaches_the_bus_exactly_once_then_is_marked_"
            "published",
            f"{RELAY_TESTS}::test_an_outage_longer_than_any_retry_budget_loses_nothing",
        ),
    ),
    Break(
        "republish-ignores-unpublished",
        "republish --unpublished sends only rows never published",
        "infra/ops/republish.py",
        (
            (
                "        if self.unpublished_only and is_published(item):\n",
                "        if self.unpublished_only and is_published(item) and False:\n",
            ),
            ('        condition += " AND attribute_not_exists(#published)"\n', "        pass\n"),
            ('        names["#published"] = PUBLISHED_AT\n', ""),
        ),
        (
            f"{RELAY_TESTS}::test_a_poison_entry_is_parked_in_the_outbox_and_the_others_pass",
            f"{RELAY_TESTS}::test_records_past_the_maximum_age_reach_the_dlq_as_metadata_and_"
            "republish_recovers_them",
        ),
    ),
    Break(
        "stream-checkpoint-past-failure",
        "A partial batch failure retries from the lowest failed sequence number",
        "infra/local/stream_poller.py",
        (("    return min(indexes)\n", "    return max(indexes)\n"),),
        (
            "tests/unit/local/test_local_runtime_parts.py::test_stream_retries_from_the_lowest_failed_sequence",
        ),
    ),
    Break(
        "consumer-swallows-failures",
        "A consumer reports the records that failed (partial batch response)",
        "common/consumer.py",
        (
            (
                "            handle(envelope)\n        except Exception:\n",
                '            with __import__("contextlib").suppress(Exception):\n'
                "                handle(envelope)\n"
                "        except Exception:\n",
            ),
        ),
        ("tests/unit/local/test_local_consumer.py",),
    ),
    Break(
        "sqs-poller-deletes-failed",
        "Only the records that succeeded leave the queue (the rest retry, then DLQ)",
        "infra/local/sqs_poller.py",
        (
            (
                '        done = [m for m in messages if m["MessageId"] not in keep]\n',
                "        done = messages\n",
            ),
        ),
        ("tests/integration/local/test_local_sqs_poller.py",),
    ),
    Break(
        "queue-without-dlq",
        "Every subscription queue redrives to its DLQ after max_receives",
        "infra/shape/resources.py",
        (
            (
                '        "RedrivePolicy": json.dumps(\n'
                '            {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": '
                "subscription.max_receives}\n"
                "        ),\n",
                "",
            ),
        ),
        (
            "tests/unit/local/test_local_runtime_parts.py::test_queue_and_rule_follow_the_subscription",
            "tests/integration/local/test_local_sqs_poller.py",
        ),
    ),
    Break(
        "projector-duplicate-recommits",
        "A duplicate event changes nothing in the read model (deep comparison)",
        "services/portfolio/logic/projector.py",
        (
            (
                "        if state.revision < len(state.facts):\n"
                "            change = change_between(state.contribution.counters, projection)\n",
                "        if state.revision < len(state.facts) or not added:\n"
                "            change = change_between(\n"
                "                state.contribution.counters if added else {},\n"
                "                projection,\n"
                "            )\n",
            ),
        ),
        ("tests/unit/portfolio/test_portfolio_projection.py::test_duplicate_changes_nothing",),
    ),
    Break(
        "projector-folds-out-of-order",
        "The newest version wins whatever the order events arrive in",
        "services/portfolio/logic/trade_folds.py",
        (
            (
                "    for version in sorted(versions):\n",
                "    for version in sorted(versions, reverse=True):\n",
            ),
        ),
        (
            "tests/unit/portfolio/test_portfolio_projection.py::test_newer_version_wins_and_older_"
            "after_newer_changes_nothing",
            "tests/unit/portfolio/test_portfolio_projection.py::test_any_order_with_duplicates_"
            "equals_ordered_deduplicated",
        ),
    ),
    Break(
        "access-sequence-condition-dropped",
        "An access event applies only if newer than what the projection holds",
        "common/access/dynamo.py",
        (
            (
                '                ConditionExpression="attribute_not_exists(pk) OR #seq < :seq",\n'
                '                ExpressionAttributeNames={"#seq": "sequence"},\n'
                '                ExpressionAttributeValues={":seq": item["sequence"]},\n',
                '                ConditionExpression="attribute_not_exists(pk)",\n',
            ),
        ),
        ("tests/integration/common/test_access_projection_order.py",),
    ),
    Break(
        "access-no-condition",
        "A late or repeated grant cannot undo a revocation",
        "common/access/dynamo.py",
        (
            (
                '                ConditionExpression="attribute_not_exists(pk) OR #seq < :seq",\n'
                '                ExpressionAttributeNames={"#seq": "sequence"},\n'
                '                ExpressionAttributeValues={":seq": item["sequence"]},\n',
                "",
            ),
        ),
        ("tests/integration/common/test_access_projection_order.py",),
    ),
    Break(
        "provisioning-accepts-stale",
        "A publisher's older or repeated version is a duplicate, not a new event",
        "services/provisioning/logic/lifecycle.py",
        (
            (
                "    if record.version < stored.version:\n",
                "    if record.version < stored.version and False:\n",
            ),
        ),
        (
            "tests/integration/provisioning/test_provisioning_ingest.py::test_duplicate_stale_and_"
            "after_cancellation",
        ),
    ),
    Break(
        "upload-restarts-from-row-one",
        "A crashed upload resumes where it stopped (nothing counted twice)",
        "services/provisioning/logic/uploads.py",
        (("    skip = 0 if upload.dry_run else upload.last_line\n", "    skip = 0\n"),),
        ("tests/integration/provisioning/test_provisioning_uploads.py",),
    ),
    Break(
        "supervisor-never-restarts",
        "A function host that dies is restarted",
        "infra/local/supervisor.py",
        (
            (
                "        if host.restart_at is not None and now >= host.restart_at and not "
                "self._stop.is_set():\n",
                "        if False:\n",
            ),
        ),
        ("tests/integration/local/test_local_supervisor.py",),
    ),
    Break(
        "invoker-no-cold-start-wait",
        "An invocation sent while a host is down waits for it (cold start), not fails",
        "infra/local/invoke.py",
        (
            (
                "                if _refused(exc) and time.monotonic() < deadline:\n",
                "                if False:\n",
            ),
        ),
        (
            "tests/integration/local/test_local_supervisor.py::test_a_killed_host_is_restarted_"
            "and_the_next_invocation_waits_for_it",
        ),
    ),
    Break(
        "redrive-leaves-the-dlq",
        "A redriven message leaves the DLQ",
        "infra/ops/redrive.py",
        (("        if done:\n", "        if done and False:\n"),),
        ("tests/integration/local/test_ops_redrive.py",),
    ),
    Break(
        "redrive-drops-attributes",
        "A redriven message keeps its attributes",
        "infra/ops/redrive.py",
        (('                "MessageAttributes": _copy_attributes(message),\n', ""),),
        ("tests/integration/local/test_ops_redrive.py",),
    ),
    Break(
        "cdk-relay-bounded-retries",
        "In AWS the relay mapping retries until the record is too old",
        "infra/cdk/relay.py",
        (
            (
                "        retry_attempts=mapping.max_retry_attempts,",
                "        retry_attempts=5,",
            ),
        ),
        ("tests/infra/test_outbox_relay_wiring.py",),
        slow=True,
    ),
    Break(
        "cdk-relay-no-max-age",
        "In AWS a failing record is given up before the stream trims it (max age < 24 h)",
        "infra/cdk/relay.py",
        (
            (
                "        max_record_age=cdk.Duration.seconds(mapping.max_record_age_seconds),\n",
                "",
            ),
        ),
        ("tests/infra/test_cdk_gates.py::test_every_event_source_reports_batch_item_failures",),
        slow=True,
    ),
    Break(
        "e2e-supervisor-never-restarts",
        "Hosts killed mid-flow come back and nothing is lost (end to end)",
        "infra/local/supervisor.py",
        (
            (
                "        if host.restart_at is not None and now >= host.restart_at and not "
                "self._stop.is_set():\n",
                "        if False:\n",
            ),
        ),
        ("tests/e2e/test_local_runtime_supervision.py",),
        slow=True,
    ),
)


def apply(item: Break) -> str:
    path = REPO / item.file
    original = path.read_text()
    mutated = original
    for old, new in item.edits:
        if mutated.count(old) != 1:
            raise SystemExit(f"{item.name}: expected one occurrence in {item.file} of {old!r}")
        mutated = mutated.replace(old, new)
    path.write_text(mutated)
    return original


def check(item: Break) -> tuple[str, float]:
    original = apply(item)
    started = time.monotonic()
    try:
        run = subprocess.run(  # noqa: S603 - fixed argv
            [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *item.tests],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=3600,
            check=False,
        )
    finally:
        (REPO / item.file).write_text(original)
    verdict = {0: "NOT CAUGHT", 1: "caught"}.get(run.returncode, f"error (exit {run.returncode})")
    return verdict, time.monotonic() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", help="breaks to try (default: all)")
    parser.add_argument("--slow", action="store_true", help="include CDK and e2e breaks")
    args = parser.parse_args(argv)
    chosen = [
        b
        for b in BREAKS
        if (b.name in args.names) or (not args.names and (args.slow or not b.slow))
    ]
    missed = 0
    for item in chosen:
        verdict, seconds = check(item)
        missed += verdict != "caught"
        print(f"{verdict:<12} {item.name:<36} {seconds:6.0f} s  {' '.join(item.tests)}", flush=True)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
