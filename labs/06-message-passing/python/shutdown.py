"""Chapter 6's shutdown, in CPython: a stop flag against a sentinel.

    python3 labs/06-message-passing/python/shutdown.py
"""

import queue
import sys
import threading

JOBS = 1_000


# ANCHOR: flag
def worker_with_flag(jobs, stop, handled):
    while not stop.is_set():  # the flag says stop, and the worker stops...
        try:
            handled.append(jobs.get(timeout=0.001))
        except queue.Empty:
            pass  # ...whatever is still queued
# ANCHOR_END: flag


# ANCHOR: sentinel
def worker_with_sentinel(jobs, handled):
    while (job := jobs.get()) is not None:  # None, sent last, means "no more"
        handled.append(job)
# ANCHOR_END: sentinel


def run(label, with_flag):
    lost = []
    for _ in range(5):
        jobs, stop, handled = queue.Queue(), threading.Event(), []
        if with_flag:
            worker = threading.Thread(target=worker_with_flag, args=(jobs, stop, handled))
        else:
            worker = threading.Thread(target=worker_with_sentinel, args=(jobs, handled))
        worker.start()
        for job in range(JOBS):
            jobs.put(job)
        if with_flag:
            stop.set()
        else:
            jobs.put(None)  # close, then drain
        worker.join()
        lost.append(JOBS - len(handled))
    print(f"{label:<22} a burst of {JOBS} jobs, then stop; never handled, in 5 runs: {lost}")


if __name__ == "__main__":
    print(f"Python {sys.version.split()[0]}")
    run("threading.Event flag", with_flag=True)
    run("None sentinel", with_flag=False)
    if hasattr(queue.Queue, "shutdown"):
        print("this Python has Queue.shutdown(): get() drains, then raises ShutDown")
    else:
        print("Queue.shutdown() arrives in Python 3.13; here, use a sentinel")
