"""Chapter 10's cooperative scheduling, in asyncio.

    python3 labs/10-event-loops/python/blocking_the_loop.py

A task ticks every 10 ms while another does 50 ms of blocking work three
times: in the coroutine, or handed to a thread with asyncio.to_thread.
"""

import asyncio
import sys
import time

TICK = 0.010
TICKS = 30
WORK = 0.050


def busy():
    end = time.perf_counter() + WORK
    while time.perf_counter() < end:
        pass


# ANCHOR: worker
async def worker(where):
    for _ in range(3):
        if where == "in the coroutine":
            busy()  # no await: the loop runs nothing else meanwhile
        elif where == "asyncio.to_thread":
            await asyncio.to_thread(busy)  # the loop runs on while it works
        await asyncio.sleep(0)
# ANCHOR_END: worker


async def ticker():
    start = time.perf_counter()
    lateness = []
    for tick in range(1, TICKS + 1):
        due = start + tick * TICK
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        lateness.append(time.perf_counter() - due)
    return sorted(lateness)


async def scenario(where):
    other = asyncio.create_task(worker(where))
    lateness = await ticker()
    await other
    return lateness


def main():
    print(f"CPython {sys.version.split()[0]}: {TICKS} ticks every 10 ms; another task "
          f"does 50 ms of CPU work 3 times.\n")
    print(f"{'tick lateness':<34} {'median':>10} {'worst':>10}")
    for where in ["nowhere", "in the coroutine", "asyncio.to_thread"]:
        lateness = asyncio.run(scenario(where))
        median, worst = lateness[len(lateness) // 2], lateness[-1]
        print(f"{'work ' + where:<34} {median * 1e3:>8.2f}ms {worst * 1e3:>8.2f}ms")


if __name__ == "__main__":
    main()
