"""The labor vulnerability index (IVL) over a whole city's registry: time per stage, peak memory.

    make bench-ivl                                      # 1,000,000 people, 5 repeats
    make bench-ivl BENCH_ARGS="--people 100000 --repeats 3"
    VENTANILLA_LOCAL=true .venv/bin/python bench/ivl.py [--people N] [--repeats N] [--seed N]

Synthetic data, generated with a seeded numpy RNG (no database): 15 indicators over 6
dimensions (the default definition's shape, weights nested 1/6 per dimension), deprivations
drawn from a latent vulnerability so that they correlate, ~4% missing answers, and five
groupings to decompose by: locality (20 labels), attention point (8), population group (5),
sex (3) and age group (6), all as text labels as the application would pass them.

Stages measured on each repeat: `compute` (scores, identification, H, A, M0, per-indicator
headcounts and contributions), the 5-way decomposition, and the priority ranking (every
person ordered by score). The target (≤ 10 s) covers these three together. Robustness
(k ± 0.10 and 12 weight scenarios) and the AUC against a synthetic outcome are measured too,
outside the target. Peak memory: tracemalloc's peak over the measured stages (numpy reports
its buffers to it), and the process's maximum resident set size (ru_maxrss) at the end.
"""

import argparse
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import support  # bench/support.py: python puts the script's own directory on sys.path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ventanilla.vulnerability import compute  # noqa: E402

# Indicators per dimension: 2, 2, 2, 2, 3, 4 = 15.
DIMENSIONS = {
    "documentation": 2,
    "education": 2,
    "work": 2,
    "income": 2,
    "household_health": 3,
    "housing_integration": 4,
}
GROUPINGS = {
    "locality": [f"Localidad {i:02d}" for i in range(1, 21)],
    "attention_point": [f"Punto {i}" for i in range(1, 9)],
    "population_group": ["settled", "in_transit", "pendular", "returnee", "host_community"],
    "sex": ["female", "male", "intersex"],
    "age_group": ["18-24", "25-34", "35-44", "45-54", "55-64", "65+"],
}
MISSING_SHARE = 0.04
K = 1 / 3


def synthetic(people: int, seed: int):
    """Deprivation matrix (float64 with NaN), weights, dimension of each column, groupings."""
    rng = np.random.default_rng(seed)
    dimension_of = [name for name, count in DIMENSIONS.items() for _ in range(count)]
    weights = np.array([1 / 6 / DIMENSIONS[name] for name in dimension_of])
    d = len(dimension_of)
    # A latent vulnerability per person; each indicator has its own prevalence.
    latent = rng.normal(size=people)
    prevalence = rng.uniform(0.08, 0.45, size=d)
    thresholds = np.quantile(rng.normal(size=200_000), 1 - prevalence)
    matrix = np.empty((people, d))
    for j in range(d):
        noise = rng.normal(size=people)
        matrix[:, j] = (0.6 * latent + 0.8 * noise) > thresholds[j]
    matrix[rng.random((people, d)) < MISSING_SHARE] = np.nan
    groups = {
        name: np.asarray(labels)[rng.integers(0, len(labels), size=people)]
        for name, labels in GROUPINGS.items()
    }
    outcome = (rng.random(people) < 1 / (1 + np.exp(-(latent - 0.5)))).astype(float)
    return matrix, weights, dimension_of, groups, outcome


def measure(matrix, weights, dimension_of, groups, outcome) -> dict[str, float]:
    times = {}
    start = time.perf_counter()
    result = compute.compute(
        matrix,
        weights,
        K,
        missing_policy="provisional",
        indicators=[f"{dim}_{j}" for j, dim in enumerate(dimension_of)],
    )
    times["compute (scores, H, A, M0, headcounts)"] = time.perf_counter() - start
    start = time.perf_counter()
    for name, labels in groups.items():
        result.groups[name] = compute.decompose(result, labels, name=name)
    times["decomposition, 5 groupings"] = time.perf_counter() - start
    start = time.perf_counter()
    priority = np.lexsort((np.arange(result.n), -result.scores))
    times["priority ranking (sort by score)"] = time.perf_counter() - start
    times["total in target"] = sum(times.values())
    start = time.perf_counter()
    compute.robustness_k(result)
    compute.robustness_weights(result, dimensions=dimension_of)
    times["robustness: k ± 0.10, 12 weight scenarios"] = time.perf_counter() - start
    start = time.perf_counter()
    compute.auc(result.scores, outcome)
    times["AUC vs outcome"] = time.perf_counter() - start
    measure.last = (result, priority)
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20261121)
    args = parser.parse_args()

    print(f"{support.machine_summary()}, numpy {np.__version__}")
    print(f"before: {support.load_average()}")
    start = time.perf_counter()
    matrix, weights, dimension_of, groups, outcome = synthetic(args.people, args.seed)
    generated = time.perf_counter() - start
    print(
        f"generated {args.people:,} people × {matrix.shape[1]} indicators in {generated:.1f} s "
        f"({matrix.nbytes / 2**20:.0f} MiB matrix, {np.isnan(matrix).mean():.1%} missing)"
    )

    runs: list[dict[str, float]] = []
    peaks = []
    for _ in range(args.repeats):
        tracemalloc.start()
        runs.append(measure(matrix, weights, dimension_of, groups, outcome))
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    result, _priority = measure.last

    width = max(len(stage) for stage in runs[0])
    print(f"\n{'stage':<{width}}  {'min':>7} {'median':>7} {'max':>7}  (s, {args.repeats} runs)")
    for stage in runs[0]:
        values = [run[stage] for run in runs]
        print(
            f"{stage:<{width}}  {min(values):7.3f} {statistics.median(values):7.3f} "
            f"{max(values):7.3f}"
        )
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"\npeak traced memory during the stages: {max(peaks) / 2**20:.0f} MiB")
    print(f"maximum resident set size of the process: {max_rss:.0f} MiB")
    print(
        f"H = {result.H:.4f}  A = {result.A:.4f}  M0 = {result.M0:.4f}  "
        f"provisional = {result.provisional_count / result.n:.1%}"
    )
    print(f"after: {support.load_average()}")


if __name__ == "__main__":
    main()
