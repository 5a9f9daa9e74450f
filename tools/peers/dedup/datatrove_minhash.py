"""datatrove's MinHash deduplication (FineWeb settings: word 5-grams, 14 buckets x 8 hashes),
run on JSONL shards (`id`, `text`), writing every document with its `minhash_cluster_id`.

usage: datatrove_minhash.py INPUT_DIR WORK_DIR TASKS

The four stages of datatrove's own minhash example: signatures (one task per input shard),
buckets (one task per bucket), clusters (union-find), filter (cluster ids attached; removed
documents go to WORK_DIR/removed, kept ones to WORK_DIR/kept). The language is Arabic, so
datatrove tokenizes words with its assigned Arabic tokenizer (spaCy's blank "ar").
"""

import sys
import time

from datatrove.executor.local import LocalPipelineExecutor
from datatrove.pipeline.dedup.minhash import (
    MinhashConfig,
    MinhashDedupBuckets,
    MinhashDedupCluster,
    MinhashDedupFilter,
    MinhashDedupSignature,
)
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers.jsonl import JsonlWriter


def main() -> None:
    inp, work, tasks = sys.argv[1], sys.argv[2], int(sys.argv[3])
    cfg = MinhashConfig(n_grams=5, num_buckets=14, hashes_per_bucket=8)
    times = {}

    def run(name, pipeline, n_tasks, workers):
        t = time.time()
        LocalPipelineExecutor(
            pipeline=pipeline, tasks=n_tasks, workers=workers, logging_dir=f"{work}/logs/{name}"
        ).run()
        times[name] = time.time() - t

    run(
        "signatures",
        [
            JsonlReader(inp, text_key="text", id_key="id"),
            MinhashDedupSignature(output_folder=f"{work}/signatures", config=cfg, language="ar"),
        ],
        tasks,
        tasks,
    )
    run(
        "buckets",
        [MinhashDedupBuckets(input_folder=f"{work}/signatures", output_folder=f"{work}/buckets", config=cfg)],
        cfg.num_buckets,
        tasks,
    )
    run(
        "clusters",
        [
            MinhashDedupCluster(
                input_folder=f"{work}/buckets", output_folder=f"{work}/remove_ids", config=cfg, save_cluster_id=True
            )
        ],
        1,
        1,
    )
    run(
        "filter",
        [
            JsonlReader(inp, text_key="text", id_key="id"),
            MinhashDedupFilter(
                input_folder=f"{work}/remove_ids",
                exclusion_writer=JsonlWriter(f"{work}/removed", compression=None),
                load_cluster_ids=True,
            ),
            JsonlWriter(f"{work}/kept", compression=None),
        ],
        tasks,
        tasks,
    )
    print("datatrove stage seconds:", {k: round(v, 1) for k, v in times.items()}, flush=True)


if __name__ == "__main__":
    main()
