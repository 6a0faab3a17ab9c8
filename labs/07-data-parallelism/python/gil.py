"""Chapter 7's claim in CPython: threads do not speed up CPU-bound Python
code (the GIL); processes do.

    python3 labs/07-data-parallelism/python/gil.py
"""

import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

UNITS = 400_000


# ANCHOR: heavy
def heavy(value):
    x = value | 1
    for _ in range(8):  # xorshift rounds: pure CPU work
        x ^= (x << 13) & 0xFFFFFFFFFFFFFFFF
        x ^= x >> 7
        x ^= (x << 17) & 0xFFFFFFFFFFFFFFFF
    return x


def chunk(bounds):
    start, stop = bounds
    return sum(heavy(v) for v in range(start, stop)) & 0xFFFFFFFFFFFFFFFF
# ANCHOR_END: heavy


def timed(label, run):
    started = time.perf_counter()
    run()
    seconds = time.perf_counter() - started
    print(f"{label:<28} {seconds * 1e3:>8.0f} ms")
    return seconds


if __name__ == "__main__":
    workers = os.cpu_count() or 2
    bounds = [(w * UNITS // workers, (w + 1) * UNITS // workers) for w in range(workers)]
    print(f"Python {sys.version.split()[0]}, {UNITS} units of CPU work, {workers} workers")
    alone = timed("one thread", lambda: chunk((0, UNITS)))
    with ThreadPoolExecutor(workers) as pool:
        threads = timed(f"{workers} threads", lambda: list(pool.map(chunk, bounds)))
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(chunk, bounds))  # start the processes before timing
        processes = timed(f"{workers} processes", lambda: list(pool.map(chunk, bounds)))
    print(f"speed-up: threads {alone / threads:.2f}x, processes {alone / processes:.2f}x (ideal {workers}x)")
