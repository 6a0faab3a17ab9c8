"""Chapter 11's cache stampede, in asyncio.

    python3 labs/11-async-tokio/python/stampede.py

100 coroutines ask for one key at once while the first load takes 50 ms.
"""

import asyncio
import sys

loads = 0


async def slow_load(key):
    global loads
    loads += 1
    await asyncio.sleep(0.05)  # a database
    return key * 100


# ANCHOR: racy
cache = {}


async def check_then_load(key):
    if key in cache:
        return cache[key]
    value = await slow_load(key)  # the others run here, and miss too
    cache[key] = value
    return value
# ANCHOR_END: racy


# ANCHOR: single_flight
flights = {}


async def single_flight(key):
    if key not in flights:  # no await between this check and the insert
        flights[key] = asyncio.ensure_future(slow_load(key))
    return await flights[key]  # every caller awaits the same load
# ANCHOR_END: single_flight


async def count_loads(get):
    global loads
    loads = 0
    values = await asyncio.gather(*(get(7) for _ in range(100)))
    assert all(value == 700 for value in values)
    return loads


def main():
    print(f"CPython {sys.version.split()[0]}: 100 requests for one key at once")
    print(f"  check, then load: {asyncio.run(count_loads(check_then_load))} loads")
    print(f"  single flight:    {asyncio.run(count_loads(single_flight))} loads")


if __name__ == "__main__":
    main()
