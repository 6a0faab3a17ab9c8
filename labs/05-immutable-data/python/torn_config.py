"""Chapter 5's half-updated configuration, in CPython.

    python3 labs/05-immutable-data/python/torn_config.py

An updater thread switches a configuration between two databases while a
reader reads it; then a configuration shared through a
multiprocessing.Manager against one sent whole.
"""

import multiprocessing
import sys
import threading
import time

N = 20_000
PRIMARY = ("db-a", 5432)
REPLICA = ("db-b", 6432)

config = {"address": "db-a", "port": 5432}


# ANCHOR: plain
def update_keys(address, port):
    config["address"] = address  # two keys, two stores:
    config["port"] = port  # a reader can run between them


def read_keys():
    return (config["address"], config["port"])
# ANCHOR_END: plain


# ANCHOR: window
def update_keys_logging(address, port):
    config["address"] = address
    time.sleep(0)  # releases the GIL, as I/O or a lock wait does
    config["port"] = port
# ANCHOR_END: window


# ANCHOR: whole
current = PRIMARY  # an immutable tuple, replaced whole


def update_whole(address, port):
    global current
    current = (address, port)  # one store of one reference


def read_whole():
    return current
# ANCHOR_END: whole


def torn_reads(update, read):
    done = threading.Event()

    def updater():
        while not done.is_set():
            update(*REPLICA)
            time.sleep(0)  # let the reader run between updates
            update(*PRIMARY)
            time.sleep(0)

    thread = threading.Thread(target=updater)
    thread.start()
    torn = 0
    for _ in range(N):
        seen = read()
        torn += seen not in (PRIMARY, REPLICA)
        time.sleep(0)  # let the updater run between reads
    done.set()
    thread.join()
    return torn


# ANCHOR: array
def switch_array(shared, done, whole):
    # Address 1 is db-a (port 5432), address 2 is db-b (port 6432).
    while not done.value:
        for address, port in ((2, 6432), (1, 5432)):
            if whole:
                with shared.get_lock():  # one lock around both stores
                    shared[0], shared[1] = address, port
            else:
                shared[0], shared[1] = address, port  # each store locked alone


def torn_array_reads(whole):
    shared = multiprocessing.Array("i", [1, 5432])  # shared memory, and a lock
    done = multiprocessing.Value("b", 0)
    updater = multiprocessing.Process(target=switch_array, args=(shared, done, whole))
    updater.start()
    torn = 0
    for _ in range(N):
        if whole:
            with shared.get_lock():
                pair = (shared[0], shared[1])
        else:
            pair = (shared[0], shared[1])
        torn += pair not in ((1, 5432), (2, 6432))
    done.value = 1
    updater.join()
    return torn
# ANCHOR_END: array


# ANCHOR: manager
def reads_per_second(read, seconds=0.5):
    reads, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        read()
        reads += 1
    return reads / (time.perf_counter() - start)


def manager_against_a_whole_value():
    with multiprocessing.Manager() as manager:
        shared = manager.dict({"address": "db-a", "port": 5432})
        # Every access to a managed dict is a round trip to the manager's
        # process: marshal the request, send it, wait, unmarshal the answer.
        managed = reads_per_second(lambda: (shared["address"], shared["port"]))
    # A whole value, pickled and sent once through a pipe (here back to this
    # process; chapter 9 sends to others), is then read locally, as often
    # as you like.
    parent, child = multiprocessing.Pipe()
    child.send(PRIMARY)
    received = parent.recv()
    local = reads_per_second(lambda: received)
    return managed, local
# ANCHOR_END: manager


def main():
    print(f"CPython {sys.version.split()[0]}: {N} reads while another thread switches "
          f"{PRIMARY} and {REPLICA}")
    for name, update, read in [
        ("two keys", update_keys, read_keys),
        ("two keys, a call between", update_keys_logging, read_keys),
        ("one tuple, replaced whole", update_whole, read_whole),
    ]:
        print(f"  {name:<28} {torn_reads(update, read):>6} half-updated")
    print(f"\n{N} reads while another process switches a multiprocessing.Array:")
    print(f"  {'each access locked alone':<28} {torn_array_reads(False):>6} half-updated")
    print(f"  {'both under get_lock()':<28} {torn_array_reads(True):>6} half-updated")
    managed, local = manager_against_a_whole_value()
    print(f"\nreads per second: Manager dict {managed:,.0f}; "
          f"a value sent whole {local:,.0f} ({local / managed:,.0f}x)")


if __name__ == "__main__":
    main()
