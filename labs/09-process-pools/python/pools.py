"""Chapter 9's pools, in CPython.

    python3 labs/09-process-pools/python/pools.py

The same executor code with threads or processes, chosen by one value;
what pickling a large value costs; and what a crashing worker does to a
ProcessPoolExecutor.
"""

import concurrent.futures as futures
import os
import pickle
import sys
import time



def square(n):
    return n * n


def crash(_):
    os.abort()


# ANCHOR: swap
def make_pool(kind, workers=2):
    if kind == "threads":
        return futures.ThreadPoolExecutor(workers)
    return futures.ProcessPoolExecutor(workers)


def run_squares(kind):
    with make_pool(kind) as pool:  # the code below does not know which
        return list(pool.map(square, range(50)))
# ANCHOR_END: swap


# ANCHOR: pickle
def pickling_cost(values):
    data = list(range(values))
    began = time.perf_counter()
    sent = pickle.dumps(data)  # what a process pool does to every argument
    pickle.loads(sent)  # and the worker, to get it back
    return time.perf_counter() - began, len(sent)
# ANCHOR_END: pickle


# ANCHOR: crash
def crash_a_process_pool():
    with futures.ProcessPoolExecutor(2) as pool:
        jobs = [pool.submit(square, n) for n in range(5)]
        jobs.append(pool.submit(crash, 0))
        jobs += [pool.submit(square, n) for n in range(5, 10)]
        outcomes = []
        for job in jobs:
            try:
                job.result(timeout=30)
                outcomes.append("ok")
            except futures.process.BrokenProcessPool:
                outcomes.append("broken")
        return outcomes
# ANCHOR_END: crash


def main():
    print(f"CPython {sys.version.split()[0]}")
    same = run_squares("threads") == run_squares("processes")
    print(f"threads and processes, swapped by one value, same results: {same}")
    seconds, size = pickling_cost(1_000_000)
    print(f"pickling 1M ints and back: {seconds * 1e3:.0f} ms, {size / 1e6:.1f} MB on the wire")
    outcomes = crash_a_process_pool()
    print(f"11 jobs, the 6th aborts its worker: {outcomes.count('ok')} ok, "
          f"{outcomes.count('broken')} failed with BrokenProcessPool")


if __name__ == "__main__":
    main()
