"""Chapter 8's pipe deadlock, in CPython, and what starting things costs.

    python3 labs/08-subprocesses/python/pipe_deadlock.py
"""

import subprocess
import sys
import threading
import time

BYTES = 1 << 20
CHILD = [sys.executable, "-c", f"import sys; sys.stdout.write('x' * {BYTES})"]


# ANCHOR: deadlock
def wait_then_read():
    child = subprocess.Popen(CHILD, stdout=subprocess.PIPE)
    try:
        child.wait(timeout=3)  # the docs warn: this deadlocks on a full pipe
        return f"finished: {len(child.stdout.read())} bytes"
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
        return "still waiting after 3 s: the child is blocked on a full pipe"


def communicate():
    child = subprocess.Popen(CHILD, stdout=subprocess.PIPE)
    stdout, _ = child.communicate(timeout=60)  # reads while it waits
    return f"finished: {len(stdout)} bytes"
# ANCHOR_END: deadlock


# ANCHOR: start_cost
def seconds_per_start(start_and_join, times):
    began = time.perf_counter()
    for _ in range(times):
        start_and_join()
    return (time.perf_counter() - began) / times


def thread():
    worker = threading.Thread(target=lambda: None)
    worker.start()
    worker.join()


def process():
    subprocess.run([sys.executable, "-c", "pass"], check=True)
# ANCHOR_END: start_cost


def main():
    print(f"CPython {sys.version.split()[0]}; each child writes {BYTES} bytes to its stdout.")
    print(f"  wait(), then read:  {wait_then_read()}")
    print(f"  communicate():      {communicate()}")
    per_thread = seconds_per_start(thread, 1000)
    per_process = seconds_per_start(process, 20)
    print(f"\nstart and join: a thread {per_thread * 1e6:.0f} µs, "
          f"a Python process {per_process * 1e3:.1f} ms ({per_process / per_thread:.0f}x)")


if __name__ == "__main__":
    main()
