"""Chapter 3's `if` instead of `while`, in CPython.

    python3 labs/03-condition-variables/python/condition.py

Round after round, two consumers each take one item from a list guarded
by a `threading.Condition`, into which the main thread puts two items;
then the same with `queue.Queue`.
"""

import queue
import sys
import threading

ROUNDS = 5_000


# ANCHOR: if_wait
def take_with_if(items, cond):
    with cond:
        if not items:  # should be `while not items:`
            cond.wait()
        return items.pop(0)  # IndexError if another consumer got there first
# ANCHOR_END: if_wait


def take_with_while(items, cond):
    with cond:
        while not items:  # or: cond.wait_for(lambda: items)
            cond.wait()
        return items.pop(0)


def rounds(label, take):
    failures = 0
    for _ in range(ROUNDS):
        items, cond, errors = [], threading.Condition(), []

        def consumer():
            try:
                take(items, cond)
            except IndexError:
                errors.append(1)

        consumers = [threading.Thread(target=consumer) for _ in range(2)]
        for c in consumers:
            c.start()
        for item in (1, 2):
            with cond:
                items.append(item)
                cond.notify()
        for c in consumers:
            c.join(timeout=5)
        failures += bool(errors)
    print(f"{label:<22} {failures:>5} of {ROUNDS} rounds: a consumer found the list empty")


def with_queue():
    failures = 0
    for _ in range(ROUNDS):
        q = queue.Queue(maxsize=1)  # bounded: put() waits while it is full
        got, errors = [], []

        def consumer():
            try:
                got.append(q.get(timeout=5))
            except queue.Empty:
                errors.append(1)

        consumers = [threading.Thread(target=consumer) for _ in range(2)]
        for c in consumers:
            c.start()
        for item in (1, 2):
            q.put(item)
        for c in consumers:
            c.join()
        failures += bool(errors) or sorted(got) != [1, 2]
    print(f"{'queue.Queue':<22} {failures:>5} of {ROUNDS} rounds: an item was lost or a consumer starved")


if __name__ == "__main__":
    print(f"Python {sys.version.split()[0]}")
    rounds("Condition, with if", take_with_if)
    rounds("Condition, with while", take_with_while)
    with_queue()
