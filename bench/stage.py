"""One pipeline stage in its own process, so the benchmark can read its peak memory.

    python -m bench.stage STAGE --input-dir D --warehouse-dir W --run-id R
Prints one JSON line: the stage's rows and details.
"""

from __future__ import annotations

import argparse
import json
import sys

from finnews import pipeline
from finnews.config import Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("stage", choices=["ingest", "extract", "dbt", "validate", "publish"])
    parser.add_argument("--input-dir", required=True)
    parser.add_argument("--warehouse-dir", required=True)
    parser.add_argument("--run-id", required=True)
    args = parser.parse_args(argv)
    settings = Settings.resolve(args.input_dir, args.warehouse_dir)
    run_id = args.run_id
    if args.stage == "ingest":
        pipeline.begin(settings, run_id)
        result = pipeline.ingest(settings, run_id).as_dict()
        rows = result["articles_new"]
    elif args.stage == "extract":
        result = pipeline.extract(settings, run_id)
        rows = result["figures"]
    elif args.stage == "dbt":
        built = pipeline.build(settings, run_id)
        result = {"models": built.models, "tests": built.tests_passed}
        rows = built.models
    elif args.stage == "validate":
        gate = pipeline.validate(settings, run_id)
        result = {
            "passed": gate.passed,
            "expectations": len(gate.outcomes),
            "failed": [o.label for o in gate.failed],
        }
        rows = len(gate.outcomes)
    else:
        published = pipeline.publish_marts(settings, run_id)
        result = {"tables": len(published.tables)}
        rows = sum(published.tables.values())
    print(json.dumps({"rows": rows, "detail": result}, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
