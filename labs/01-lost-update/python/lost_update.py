"""Chapter 1's lost update, in CPython.

    python3 labs/01-lost-update/python/lost_update.py

Two threads each increment a shared counter N times, three ways.
"""

import sys
import threading
import time

N = 20_000
counter = 0


# ANCHOR: plain
def plain():
    global counter
    counter += 1  # load, add, store: three steps, one line
# ANCHOR_END: plain


# ANCHOR: window
def with_a_call_in_between():
    global counter
    seen = counter
    time.sleep(0)  # a call: the interpreter may switch threads here
    counter = seen + 1
# ANCHOR_END: window


# ANCHOR: locked
lock = threading.Lock()


def locked():
    global counter
    with lock:  # one critical section around the read and the write
        seen = counter
        time.sleep(0)
        counter = seen + 1
# ANCHOR_END: locked


def run(name, increment):
    global counter
    counter = 0

    def work():
        for _ in range(N):
            increment()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(f"{name:<28} {counter:>6} of {2 * N} ({2 * N - counter} lost)")


if __name__ == "__main__":
    print(f"Python {sys.version.split()[0]}, 2 threads x {N} increments")
    run("counter += 1", plain)
    run("read, call, write", with_a_call_in_between)
    run("the same, under a Lock", locked)
