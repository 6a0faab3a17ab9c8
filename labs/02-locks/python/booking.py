"""Chapter 2's check-then-act and (missing) poisoning, in CPython.

    python3 labs/02-locks/python/booking.py

Two threads book seat 7 at once, round after round, three ways; then a
thread fails halfway through a transfer while holding a lock.
"""

import sys
import threading
import time

ROUNDS = 2_000


# ANCHOR: racy
def book(seats, seat, name):
    if seat not in seats:  # check...
        time.sleep(0)  # (a call: another thread may run here)
        seats[seat] = name  # ...then act on it
        return True
    return False
# ANCHOR_END: racy


def book_setdefault(seats, seat, name):
    return seats.setdefault(seat, name) == name  # one step, for str keys and values


lock = threading.Lock()


def book_locked(seats, seat, name):
    with lock:  # the check and the act in one critical section
        if seat not in seats:
            time.sleep(0)
            seats[seat] = name
            return True
        return False


def rounds(label, book_one):
    wrong = 0
    for _ in range(ROUNDS):
        seats, told = {}, []
        start = threading.Barrier(2)

        def person(name):
            start.wait()  # both threads reach the booking together
            told.append(book_one(seats, 7, name))

        people = [threading.Thread(target=person, args=(n,)) for n in ("Ana", "Ben")]
        for p in people:
            p.start()
        for p in people:
            p.join()
        if told.count(True) != 1:
            wrong += 1
    print(f"{label:<32} {wrong:>5} of {ROUNDS} rounds told both people seat 7 is theirs")


# ANCHOR: no_poisoning
def half_a_transfer(accounts):
    with lock:
        accounts["from"] -= 80
        raise RuntimeError("the network went down mid-transfer")  # never pays "to"
# ANCHOR_END: no_poisoning


if __name__ == "__main__":
    print(f"Python {sys.version.split()[0]}")
    rounds("check, call, then act", book)
    rounds("dict.setdefault", book_setdefault)
    rounds("check and act under a Lock", book_locked)

    accounts = {"from": 100, "to": 100}
    failing = threading.Thread(target=half_a_transfer, args=(accounts,))
    threading.excepthook = lambda args: print(f"a thread raised: {args.exc_value}")
    failing.start()
    failing.join()
    with lock:  # no error: Python locks are not poisoned
        print(f"the lock is free again, and the accounts read {accounts}: 80 has vanished")
