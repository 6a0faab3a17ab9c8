"""Chapter 13 in CPython: one workload, every model, measured here.

    python3 labs/13-choosing/python/compare.py [--workload cpu|io|tiny|crash|all]
                                               [--size tiny|default|large]

Four workloads, each run with the models CPython offers and printed as a
table of what this machine measured (on 2 cores with the 'fork' start
method, `--size tiny` takes ~10 s and the default under a minute; 'spawn'
is slower, because every new process imports this file again):

  cpu    independent chunks of pure-Python integer work (8, or one per core
         if there are more cores): threads, a thread pool, two process pools,
         asyncio with the work inline, asyncio handing it to processes.
         The GIL's effect is a row, not a sentence.
  io     200 requests, 32 at a time, to a loopback TCP server this script
         starts in a separate process (so its CPU is not counted here); it
         reads a line and answers after 10 ms. Threads, processes, asyncio.
  tiny   200 jobs of ~5 ms of CPU work (a fixed amount of busy work, not a
         sleep, so a job holds a core, and on a thread the GIL): a new process
         per job, a process pool, threads.
  crash  100 jobs; job 37 calls os.abort(). What threads, multiprocessing.Pool,
         ProcessPoolExecutor and a pool that restarts finish, and what they lose.
         Each runs in a child process so this script survives to report.
         multiprocessing.Pool replaces a dead worker but never answers for the
         job it held, so a .get() without a timeout would wait for ever: here
         it waits a few seconds and reports the job as not answered.

Every wall time includes starting and stopping the model's workers: that is
part of what a model costs. CPU is user + system time of this process and of
its children that ended meanwhile (os.times()). Every wait has a timeout; if
one runs out the script says what it was waiting for and stops.
"""

import argparse
import asyncio
import collections
import concurrent.futures as futures
import contextlib
import math
import multiprocessing
import multiprocessing.connection
import os
import platform
import textwrap
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool

try:
    import resource  # Unix only: used to switch core files off before os.abort()
except ImportError:
    resource = None

SIZES = {
    # cpu: rounds per chunk | io: requests | tiny: jobs | crash: ms per job,
    # how long to wait on multiprocessing.Pool's lost job | any model: time limit
    "tiny": dict(cpu_rounds=100_000, requests=64, tiny_jobs=40, crash_ms=1, patience=2, limit=60),
    "default": dict(cpu_rounds=600_000, requests=200, tiny_jobs=200, crash_ms=5, patience=5, limit=180),
    "large": dict(cpu_rounds=3_000_000, requests=1000, tiny_jobs=1000, crash_ms=5, patience=10, limit=900),
}
IO_WIDTH = 32  # requests in flight at once
IO_DELAY = 0.010  # the server's answer time
REQUEST_TIMEOUT = 10.0
TINY_JOB = 0.005
CRASH_JOBS, CRASH_AT, CRASH_TRIES = 100, 37, 3


class Stuck(Exception):
    """A wait ran out of time; the message says what was being waited for."""


@contextlib.contextmanager
def waiting_for(what, seconds):
    try:
        yield
    except (TimeoutError, multiprocessing.TimeoutError, subprocess.TimeoutExpired) as late:
        detail = f": {late}" if str(late) else ""
        raise Stuck(f"{what} did not finish within {seconds} s{detail}") from None


def join_all(threads, seconds):
    deadline = time.monotonic() + seconds
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
        if thread.is_alive():
            raise TimeoutError(f"{thread.name} was still running")


# ANCHOR: spin
MASK = (1 << 64) - 1


def spin(seed, rounds):
    """Pure-Python integer work (xorshift): it holds the GIL the whole time."""
    x = seed | 1
    for _ in range(rounds):
        x ^= (x << 13) & MASK
        x ^= x >> 7
        x ^= (x << 17) & MASK
    return x
# ANCHOR_END: spin


# ANCHOR: measure
def measure(run):
    """Wall time, CPU time (this process + its ended children) and run()'s result."""
    before, started = os.times(), time.perf_counter()
    result = run()
    wall = time.perf_counter() - started
    after = os.times()
    cpu = sum(after[i] - before[i] for i in range(4))  # user, system, children's user, system
    return wall, cpu, result
# ANCHOR_END: measure


def calibrate(seconds):
    """How many spin() rounds take `seconds` of CPU here (best of five tries)."""
    probe = 20_000
    best = min(measure(lambda: spin(1, probe))[0] for _ in range(5))
    return max(1, round(probe * seconds / best))


class Table:
    """Prints rows as they are measured, so a slow model shows the ones before it."""

    def __init__(self, title, columns, align):
        self.widths = [max(width, len(header)) for header, width in columns]
        self.align = align
        print("\n" + textwrap.fill(title, 100))
        self._print([header for header, _ in columns])
        print("  ".join("-" * width for width in self.widths))

    def row(self, *cells):
        self._print(cells)

    def _print(self, cells):
        text = "  ".join(f"{cell:{side}{width}}" for cell, side, width in zip(cells, self.align, self.widths))
        print(text.rstrip(), flush=True)

    def end(self, look_at):
        print(textwrap.fill(f"Look at: {look_at}", 100), flush=True)


def secs(seconds):
    return f"{seconds:.2f} s"


def msecs(seconds):
    return f"{seconds * 1e3:.1f} ms"


def ranges(numbers):
    parts = []
    for n in sorted(numbers):
        if parts and parts[-1][1] == n - 1:
            parts[-1][1] = n
        else:
            parts.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in parts) or "none"


# ---------------------------------------------------------------- cpu

def cpu_chunk(index, rounds):
    return spin(index * 7919 + 1, rounds)


# ANCHOR: cpu_models
def cpu_sequential(chunks, rounds, workers, limit):
    return [cpu_chunk(i, rounds) for i in range(chunks)]


def cpu_threading(chunks, rounds, workers, limit):
    results = [None] * chunks

    def work(first):  # thread t takes chunks t, t + workers, ...
        for i in range(first, chunks, workers):
            results[i] = cpu_chunk(i, rounds)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(workers)]
    for thread in threads:
        thread.start()
    join_all(threads, limit)
    return results


def cpu_thread_pool(chunks, rounds, workers, limit):
    pool = ThreadPoolExecutor(workers)
    results = list(pool.map(cpu_chunk, range(chunks), [rounds] * chunks, timeout=limit))
    pool.shutdown()
    return results


def cpu_multiprocessing_pool(chunks, rounds, workers, limit):
    pool = multiprocessing.Pool(workers)
    work = [(i, rounds) for i in range(chunks)]
    results = pool.starmap_async(cpu_chunk, work, chunksize=1).get(limit)
    pool.close()
    pool.join()
    return results


def cpu_process_pool(chunks, rounds, workers, limit):
    pool = ProcessPoolExecutor(workers)
    results = list(pool.map(cpu_chunk, range(chunks), [rounds] * chunks, timeout=limit))
    pool.shutdown()
    return results


async def cpu_asyncio_inline(chunks, rounds, workers, limit):
    async def chunk(i):
        return cpu_chunk(i, rounds)  # no await: each task runs start to end

    return await asyncio.gather(*(chunk(i) for i in range(chunks)))


async def cpu_asyncio_processes(chunks, rounds, workers, limit):
    loop = asyncio.get_running_loop()
    pool = ProcessPoolExecutor(workers)
    calls = [loop.run_in_executor(pool, cpu_chunk, i, rounds) for i in range(chunks)]
    results = await asyncio.wait_for(asyncio.gather(*calls), limit)
    pool.shutdown()
    return results
# ANCHOR_END: cpu_models


def in_asyncio(model):
    return lambda *args: asyncio.run(model(*args))


def run_cpu(size, cores):
    chunks, rounds, limit = max(8, cores), size["cpu_rounds"], size["limit"]
    models = [
        ("sequential", cpu_sequential),
        (f"threading, {cores} threads", cpu_threading),
        (f"ThreadPoolExecutor({cores})", cpu_thread_pool),
        (f"multiprocessing.Pool({cores})", cpu_multiprocessing_pool),
        (f"ProcessPoolExecutor({cores})", cpu_process_pool),
        ("asyncio, CPU inline in tasks", in_asyncio(cpu_asyncio_inline)),
        (f"asyncio + run_in_executor(ProcessPoolExecutor({cores}))", in_asyncio(cpu_asyncio_processes)),
    ]
    table = Table(
        f"cpu: {chunks} chunks of {rounds:,} xorshift rounds each, {cores} workers "
        f"(ideal speed-up {cores}x)",
        [("model", max(len(label) for label, _ in models)), ("wall", 8), ("vs sequential", 13),
         ("vs ideal", 8), ("CPU user+sys", 12), ("answer", 6)],
        "<>>>>>")
    expected = base = None
    for label, model in models:
        with waiting_for(label, limit):
            wall, cpu, results = measure(lambda: model(chunks, rounds, cores, limit))
        answer = sum(results) & MASK  # the checksum every model must agree on
        if expected is None:
            expected, base = answer, wall
        speedup = base / wall
        table.row(label, secs(wall), f"{speedup:.2f}x", f"{speedup / cores:.0%}", secs(cpu),
                  "same" if answer == expected else f"DIFFERENT ({answer:x})")
    table.end("'vs ideal' for the thread and asyncio-inline rows next to the process rows "
              "(same chunks, same code), and whether the CPU column moves with them.")


# ---------------------------------------------------------------- io

# ANCHOR: io_server
def serve(port_out, delay):
    """The server, in its own process: reads `n`, answers `n n*n` after `delay` s."""

    async def answer(reader, writer):
        try:
            n = int(await reader.readline())
            await asyncio.sleep(delay)  # stands for a database, a disk, another service
            writer.write(f"{n} {n * n}\n".encode())
            await writer.drain()
        except (ValueError, ConnectionError):
            pass
        finally:
            writer.close()

    async def main():
        server = await asyncio.start_server(answer, "127.0.0.1", 0, backlog=1024)
        port_out.send(server.sockets[0].getsockname()[1])
        port_out.close()
        await server.serve_forever()

    asyncio.run(main())
# ANCHOR_END: io_server


def start_server(delay, seconds=15):
    port_in, port_out = multiprocessing.Pipe(duplex=False)
    server = multiprocessing.Process(target=serve, args=(port_out, delay), daemon=True)
    server.start()
    port_out.close()
    if not port_in.poll(seconds):
        server.kill()
        raise Stuck(f"the server process did not report its port within {seconds} s")
    try:
        return server, port_in.recv()
    except EOFError:
        server.join(5)
        raise Stuck(f"the server process ended (exit code {server.exitcode}) "
                    "before reporting its port") from None


# ANCHOR: io_request
def request(port, n):
    """One request on its own connection: (answer right?, seconds it took, problem)."""
    started = time.perf_counter()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=REQUEST_TIMEOUT) as sock:
            sock.sendall(f"{n}\n".encode())
            with sock.makefile("rb") as replies:
                reply = replies.readline()
    except TimeoutError:
        problem = f"request {n}: the server did not answer within {REQUEST_TIMEOUT} s"
        return False, time.perf_counter() - started, problem
    except OSError as error:
        return False, time.perf_counter() - started, f"request {n}: {error}"
    right = reply == f"{n} {n * n}\n".encode()
    return right, time.perf_counter() - started, None if right else f"request {n}: got {reply!r}"


async def request_async(port, n):
    async def exchange():
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            writer.write(f"{n}\n".encode())
            return await reader.readline()
        finally:
            writer.close()
            await writer.wait_closed()

    started = time.perf_counter()
    try:
        reply = await asyncio.wait_for(exchange(), REQUEST_TIMEOUT)
    except asyncio.TimeoutError:
        problem = f"request {n}: the server did not answer within {REQUEST_TIMEOUT} s"
        return False, time.perf_counter() - started, problem
    except OSError as error:
        return False, time.perf_counter() - started, f"request {n}: {error}"
    right = reply == f"{n} {n * n}\n".encode()
    return right, time.perf_counter() - started, None if right else f"request {n}: got {reply!r}"
# ANCHOR_END: io_request


# ANCHOR: io_models
def io_sequential(port, requests, width, limit):
    return [request(port, n) for n in range(requests)]


def io_threading(port, requests, width, limit):
    results = [None] * requests

    def work(first):  # thread t sends requests t, t + width, ...
        for n in range(first, requests, width):
            results[n] = request(port, n)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(width)]
    for thread in threads:
        thread.start()
    join_all(threads, limit)
    return results


def io_thread_pool(port, requests, width, limit):
    pool = ThreadPoolExecutor(width)
    results = list(pool.map(request, [port] * requests, range(requests), timeout=limit))
    pool.shutdown()
    return results


def io_multiprocessing_pool(port, requests, width, limit):
    pool = multiprocessing.Pool(width)
    work = [(port, n) for n in range(requests)]
    results = pool.starmap_async(request, work, chunksize=1).get(limit)
    pool.close()
    pool.join()
    return results


async def io_asyncio(port, requests, width, limit):
    gate = asyncio.Semaphore(width)  # at most `width` in flight, like the pools

    async def one(n):
        async with gate:
            return await request_async(port, n)

    return await asyncio.wait_for(asyncio.gather(*(one(n) for n in range(requests))), limit)
# ANCHOR_END: io_models


def percentile(ordered, fraction):
    return ordered[min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1)]


def run_io(size, cores):
    requests, width, limit = size["requests"], IO_WIDTH, size["limit"]
    models = [
        ("sequential", io_sequential),
        (f"threading, {width} threads", io_threading),
        (f"ThreadPoolExecutor({width})", io_thread_pool),
        (f"multiprocessing.Pool({width})", io_multiprocessing_pool),
        (f"asyncio, Semaphore({width})", in_asyncio(io_asyncio)),
    ]
    server, port = start_server(IO_DELAY)
    try:
        table = Table(
            f"io: {requests} requests, {width} at a time, each on a new connection to a loopback "
            f"server (a separate process, pid {server.pid}) that answers after "
            f"{IO_DELAY * 1e3:.0f} ms; latency is one request's connect-to-reply time",
            [("model", max(len(label) for label, _ in models)), ("wall", 7), ("req/s", 6),
             ("p50", 7), ("p99", 7), ("CPU user+sys", 12), ("answers", 11)],
            "<>>>>>>")
        for label, model in models:
            with waiting_for(label, limit):
                wall, cpu, results = measure(lambda: model(port, requests, width, limit))
            wrong = [problem for right, _, problem in results if not right]
            latencies = sorted(took for _, took, _ in results)
            table.row(label, secs(wall), f"{requests / wall:.0f}", msecs(percentile(latencies, 0.5)),
                      msecs(percentile(latencies, 0.99)), secs(cpu),
                      "all right" if not wrong else f"{len(wrong)} WRONG")
            if wrong:
                print(f"    first problem: {wrong[0]}")
        table.end("req/s and p99 of the thread rows next to multiprocessing.Pool's, "
                  "and what the CPU column says each model paid for them.")
    finally:
        server.kill()
        server.join(5)


# ---------------------------------------------------------------- tiny

CHILD_CODE = """\
import sys
x = int(sys.argv[1]) | 1
for _ in range(int(sys.argv[2])):
    x ^= (x << 13) & 0xFFFFFFFFFFFFFFFF
    x ^= x >> 7
    x ^= (x << 17) & 0xFFFFFFFFFFFFFFFF
print(x)
"""  # spin() as a program of its own, so the child imports nothing but sys


def job_to_pipe(answer_out, n, rounds):
    answer_out.send(spin(n, rounds))
    answer_out.close()


# ANCHOR: tiny_models
def tiny_sequential(jobs, rounds, workers, limit):
    return [spin(n, rounds) for n in range(jobs)]


def tiny_subprocess_per_job(jobs, rounds, workers, limit):
    def one(n):  # a new interpreter for every job
        done = subprocess.run([sys.executable, "-c", CHILD_CODE, str(n), str(rounds)],
                              capture_output=True, text=True, timeout=limit)
        return int(done.stdout) if done.returncode == 0 else None

    pool = ThreadPoolExecutor(workers)  # the threads only wait for the children
    results = list(pool.map(one, range(jobs), timeout=limit))
    pool.shutdown()
    return results


def tiny_process_per_job(jobs, rounds, workers, limit):
    results, running, next_job = [None] * jobs, {}, 0
    deadline = time.monotonic() + limit
    while next_job < jobs or running:
        while next_job < jobs and len(running) < workers:  # `workers` at a time
            answer_in, answer_out = multiprocessing.Pipe(duplex=False)
            process = multiprocessing.Process(target=job_to_pipe, args=(answer_out, next_job, rounds))
            process.start()
            answer_out.close()
            running[process.sentinel] = (process, answer_in, next_job)
            next_job += 1
        ended = multiprocessing.connection.wait(list(running), max(0.0, deadline - time.monotonic()))
        if not ended:
            raise TimeoutError(f"{len(running)} job processes were still running")
        for sentinel in ended:
            process, answer_in, n = running.pop(sentinel)
            process.join()
            with contextlib.suppress(EOFError):  # EOF: it died without answering
                results[n] = answer_in.recv()
            answer_in.close()
    return results


def tiny_process_pool(jobs, rounds, workers, limit):
    pool = ProcessPoolExecutor(workers)
    results = list(pool.map(spin, range(jobs), [rounds] * jobs, timeout=limit))
    pool.shutdown()
    return results


def tiny_thread_pool(jobs, rounds, workers, limit):
    pool = ThreadPoolExecutor(workers)
    results = list(pool.map(spin, range(jobs), [rounds] * jobs, timeout=limit))
    pool.shutdown()
    return results
# ANCHOR_END: tiny_models


def run_tiny(size, cores):
    jobs, limit = size["tiny_jobs"], size["limit"]
    rounds = calibrate(TINY_JOB)
    models = [
        ("sequential, in this process", tiny_sequential),
        (f"subprocess.run per job (python -c), {cores} at a time", tiny_subprocess_per_job),
        (f"multiprocessing.Process per job ({multiprocessing.get_start_method()}), "
         f"{cores} at a time", tiny_process_per_job),
        (f"ProcessPoolExecutor({cores})", tiny_process_pool),
        (f"ThreadPoolExecutor({cores})", tiny_thread_pool),
    ]
    table = Table(
        f"tiny: {jobs} jobs of {rounds:,} xorshift rounds, calibrated just now to "
        f"{TINY_JOB * 1e3:.0f} ms of CPU each. Busy work, not sleep: a job holds a core "
        f"(and, on a thread, the GIL) as a real 5 ms computation does",
        [("model", max(len(label) for label, _ in models)), ("wall", 7), ("jobs/s", 6),
         ("vs sequential", 13), ("CPU user+sys", 12), ("CPU per job", 11), ("answers", 9)],
        "<>>>>>>")
    expected = base = None
    for label, model in models:
        with waiting_for(label, limit):
            wall, cpu, results = measure(lambda: model(jobs, rounds, cores, limit))
        if expected is None:
            expected, base = results, wall
        wrong = sum(1 for got, want in zip(results, expected) if got != want)
        table.row(label, secs(wall), f"{jobs / wall:.0f}", f"{base / wall:.2f}x", secs(cpu),
                  msecs(cpu / jobs), "all right" if not wrong else f"{wrong} WRONG")
    table.end(f"'CPU per job' next to the job's own {TINY_JOB * 1e3:.0f} ms: the rest is what "
              "the model spends per job on starting and feeding workers.")


# ---------------------------------------------------------------- crash

def abort():
    with contextlib.suppress(AttributeError, ValueError, OSError):
        _, hard = resource.getrlimit(resource.RLIMIT_CORE)
        resource.setrlimit(resource.RLIMIT_CORE, (0, hard))  # no core file, please
    os.abort()  # SIGABRT: the process ends now; no exception, no finally, no cleanup


# ANCHOR: crash
def crash_job(n, crash_at, rounds):
    if n == crash_at:
        abort()  # stands for a segfault in a C extension, the OOM killer, kill -9
    return spin(n, rounds)


def crash_threads(done, jobs, crash_at, rounds, workers, patience):
    def job(n):
        crash_job(n, crash_at, rounds)
        done(n)

    pool = ThreadPoolExecutor(workers)
    futures.wait([pool.submit(job, n) for n in range(jobs)], timeout=patience * 10)
    pool.shutdown()
    return "every job ran"  # reached only if no job aborted


def crash_multiprocessing_pool(done, jobs, crash_at, rounds, workers, patience):
    pool = multiprocessing.Pool(workers)
    pending = [(n, pool.apply_async(crash_job, (n, crash_at, rounds))) for n in range(jobs)]
    never = []
    for n, result in pending:
        try:
            result.get(patience)
            done(n)
        except multiprocessing.TimeoutError:
            never.append(n)
    workers_now = len(multiprocessing.active_children())
    note = (f"no error raised; job(s) {ranges(never)} still not answered after {patience} s "
            f"each, with {workers_now} live workers") if never else "every job answered"
    pool.terminate()
    return note


def crash_process_pool(done, jobs, crash_at, rounds, workers, patience):
    pool = ProcessPoolExecutor(workers)
    submitted = {pool.submit(crash_job, n, crash_at, rounds): n for n in range(jobs)}
    broken = 0
    for future in futures.as_completed(submitted, timeout=patience * 10):
        if future.exception() is None:
            done(submitted[future])
        else:
            broken += isinstance(future.exception(), BrokenProcessPool)
    pool.shutdown()
    return f"{broken} futures raised BrokenProcessPool; the pool cannot take new jobs"
# ANCHOR_END: crash


# ANCHOR: restart
def crash_restarting_pool(done, jobs, crash_at, rounds, workers, patience):
    """A new ProcessPoolExecutor whenever one breaks. The jobs that were running
    when it broke are suspects: each is retried alone, and given up after
    CRASH_TRIES tries, so one bad job cannot take its neighbours down again."""
    todo, suspects, tries = collections.deque(range(jobs)), collections.deque(), collections.Counter()
    given_up, pools = [], 0
    while todo or suspects:
        alone = bool(suspects)
        queue = collections.deque([suspects.popleft()]) if alone else todo
        pool = ProcessPoolExecutor(1 if alone else workers)
        pools += 1
        lost = keep_busy(pool, queue, 1 if alone else workers, done, crash_at, rounds, patience)
        pool.shutdown()
        for n in lost:
            tries[n] += 1
            (given_up if tries[n] >= CRASH_TRIES else suspects).append(n)
    return f"{pools} pools started; gave up on job(s) {ranges(given_up)} after {CRASH_TRIES} tries"


def keep_busy(pool, queue, width, done, crash_at, rounds, patience):
    """Keeps `width` jobs from `queue` running; returns those lost if the pool breaks."""
    running, lost = {}, []
    while (queue and not lost) or running:
        while queue and not lost and len(running) < width:
            n = queue.popleft()
            running[pool.submit(crash_job, n, crash_at, rounds)] = n
        finished, _ = futures.wait(running, timeout=patience * 10, return_when=futures.FIRST_COMPLETED)
        if not finished:
            raise TimeoutError(f"no job finished within {patience * 10} s")
        for future in finished:
            n = running.pop(future)
            if future.exception() is None:
                done(n)
            else:
                lost.append(n)  # BrokenProcessPool: the pool is done for
    return lost
# ANCHOR_END: restart


CRASH_MODELS = {
    "threads": crash_threads,
    "multiprocessing.Pool": crash_multiprocessing_pool,
    "ProcessPoolExecutor": crash_process_pool,
    "restarting pool": crash_restarting_pool,
}


def crash_child(model, report, jobs, crash_at, rounds, workers, patience):
    """Runs one crash model in a child process; `report` gets ("done", n) the
    moment job n finishes, so what finished is known even if the child dies."""
    lock = threading.Lock()

    def done(n):
        with lock:
            report.send(("done", n))

    try:
        note = CRASH_MODELS[model](done, jobs, crash_at, rounds, workers, patience)
    except Exception as error:
        note = f"stopped: {type(error).__name__}: {error}"
    report.send(("note", note))


def run_crash_model(model, rounds, workers, patience, limit):
    report_in, report_out = multiprocessing.Pipe(duplex=False)
    child = multiprocessing.Process(
        target=crash_child, args=(model, report_out, CRASH_JOBS, CRASH_AT, rounds, workers, patience))
    child.start()
    report_out.close()
    finished, note = set(), None
    deadline = time.monotonic() + limit
    while True:
        if not report_in.poll(max(0.0, deadline - time.monotonic())):
            note = f"the child running it did not finish within {limit} s; killed it"
            child.kill()
            break
        try:
            kind, value = report_in.recv()
        except EOFError:  # the child is gone
            break
        if kind == "done":
            finished.add(value)
        else:
            note = value
    child.join(10)
    if child.is_alive():
        child.kill()
        child.join(10)
    return finished, note, child.exitcode


def ending(code):
    if code == 0:
        return "yes"
    if code is not None and code < 0:
        return f"no: {signal.Signals(-code).name}"
    return f"no: exit code {code}"


def run_crash(size, cores):
    rounds, patience, limit = calibrate(size["crash_ms"] / 1e3), size["patience"], size["limit"]
    models = [
        (f"threading: ThreadPoolExecutor({cores})", "threads"),
        (f"multiprocessing.Pool({cores})", "multiprocessing.Pool"),
        (f"ProcessPoolExecutor({cores})", "ProcessPoolExecutor"),
        (f"ProcessPoolExecutor({cores}), restarted, retries", "restarting pool"),
    ]
    table = Table(
        f"crash: {CRASH_JOBS} jobs of ~{size['crash_ms']} ms, {cores} at a time; job {CRASH_AT} calls "
        "os.abort(). Each model runs in a child process, which reports every job as it finishes",
        [("model", max(len(label) for label, _ in models)), ("child survived", 14), ("finished", 8),
         ("lost", 4), ("lost jobs", 12)],
        "<>>><")
    notes = []
    for label, model in models:
        finished, note, code = run_crash_model(model, rounds, cores, patience, limit)
        lost = set(range(CRASH_JOBS)) - finished
        if note is None:
            note = f"the whole process died, every thread in it, with {len(lost)} jobs not done"
        table.row(label, ending(code), str(len(finished)), str(len(lost)), ranges(lost))
        notes.append(f"* {label}: {note}")
    for note in notes:  # what happened, under the table so that it fits 100 columns
        print(textwrap.fill(note, 100, subsequent_indent="  "))
    table.end(f"which jobs each model lost next to job {CRASH_AT}, and whether anything told "
              "the caller that they were lost.")


# ---------------------------------------------------------------- main

WORKLOADS = {"cpu": run_cpu, "io": run_io, "tiny": run_tiny, "crash": run_crash}


def usable_cores():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def main():
    parser = argparse.ArgumentParser(
        description="One workload, every CPython model: prints what this machine measured.")
    parser.add_argument("--workload", choices=[*WORKLOADS, "all"], default="all")
    parser.add_argument("--size", choices=list(SIZES), default="default")
    args = parser.parse_args()
    cores = usable_cores()
    print(f"CPython {platform.python_version()} on {platform.system()}, {cores} cores usable\n"
          f"(os.cpu_count() = {os.cpu_count()}), multiprocessing start method "
          f"'{multiprocessing.get_start_method()}', size '{args.size}'", flush=True)
    started = time.perf_counter()
    try:
        for name in WORKLOADS if args.workload == "all" else [args.workload]:
            WORKLOADS[name](SIZES[args.size], cores)
    except Stuck as stuck:
        print(f"\nstopped: {stuck}", flush=True)
        for child in multiprocessing.active_children():
            child.kill()
        os._exit(1)  # without waiting for the threads and pools still stuck
    print(f"\n(all of it took {time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
