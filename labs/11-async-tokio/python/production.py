"""asyncio's counterparts of chapter 11's production patterns, for
"Coming from Python": a TaskGroup (structured concurrency), a bounded
Queue (backpressure), run_in_executor (blocking work, a bounded pool), and
a graceful shutdown on SIGTERM. Python 3.11 or later.

    python3 labs/11-async-tokio/python/production.py

Each prints one line; lab-11's tests run this file and check them.
"""

import asyncio
import os
import signal
import threading
import time

POISON = 13


# ANCHOR: task_group
async def sum_parts(parts, finished):
    """Sums each part in a task of its own; a part holding POISON fails.
    The TaskGroup cancels the other tasks and raises the failure out of
    the `async with`: nothing outlives the block, nothing fails silently."""

    async def part(values, delay):
        await asyncio.sleep(delay)
        if POISON in values:
            raise ValueError(f"part {values} holds the poison value")
        finished.append(values)
        return sum(values)

    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(part(v, d)) for v, d in parts]
    except ExceptionGroup as failed:  # every failure, grouped
        return f"failed: {failed.exceptions[0]}"
    return sum(task.result() for task in tasks)
# ANCHOR_END: task_group


# ANCHOR: bounded_queue
async def peak_queued(messages, capacity):
    """A producer faster than its consumer, through Queue(maxsize): `put`
    waits while the queue is full, so it never holds more than that."""
    queue = asyncio.Queue(maxsize=capacity)
    peak = 0

    async def produce():
        nonlocal peak
        for n in range(messages):
            await queue.put(n)
            peak = max(peak, queue.qsize())
        await queue.put(None)

    async def consume():
        while await queue.get() is not None:
            pass

    await asyncio.gather(produce(), consume())
    return peak
# ANCHOR_END: bounded_queue


# ANCHOR: executor
async def blocking_calls_at_once(calls, threads):
    """Blocking calls on a thread pool of `threads`: run_in_executor's
    default pool is bounded too, at min(32, os.cpu_count() + 4)."""
    from concurrent.futures import ThreadPoolExecutor

    running, peak, lock = 0, 0, threading.Lock()

    def call():
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.01)  # blocking work
        with lock:
            running -= 1

    loop = asyncio.get_running_loop()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        await asyncio.gather(*(loop.run_in_executor(pool, call) for _ in range(calls)))
    return peak
# ANCHOR_END: executor


# ANCHOR: graceful
async def graceful_shutdown(clients):
    """A server of `work <seconds>` requests, sent SIGTERM while `clients`
    requests are in flight: it stops accepting, lets them finish (within a
    deadline), and loses none."""
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    in_flight = set()

    async def serve(reader, writer):
        task = asyncio.current_task()
        in_flight.add(task)
        try:
            line = (await reader.readline()).decode().split()
            writer.write(b"started\n")
            await writer.drain()
            await asyncio.sleep(float(line[1]))  # the work
            writer.write(f"done {line[1]}\n".encode())
            await writer.drain()
        finally:
            writer.close()
            in_flight.discard(task)

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]

    async def client():
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"work 0.3\n")
        started = await reader.readline()
        return reader, writer  # the writer kept: dropped, it would close

    started = await asyncio.gather(*(client() for _ in range(clients)))
    os.kill(os.getpid(), signal.SIGTERM)  # as a service manager does
    await stop.wait()
    server.close()  # stop accepting
    async with asyncio.timeout(30):  # the grace period
        while in_flight:
            await asyncio.sleep(0.01)
    answers = [await reader.readline() for reader, _ in started]
    return sum(answer.startswith(b"done") for answer in answers)
# ANCHOR_END: graceful


async def main():
    parts = [([1, 2], 0.01), ([POISON], 0.02), ([100], 10.0)]
    finished = []
    print(f"TaskGroup: {await sum_parts(parts, finished)}; parts finished: {finished}")
    print(f"Queue(maxsize=8): at most {await peak_queued(2000, 8)} queued of 2000")
    print(f"run_in_executor on 4 threads: at most {await blocking_calls_at_once(64, 4)} at once")
    print(f"graceful shutdown: {await graceful_shutdown(3)} of 3 requests in flight answered after SIGTERM")


if __name__ == "__main__":
    asyncio.run(main())
