"""Chapter 12's lost job, the way Python queues meet it.

    python3 labs/12-redis-queue/python/rq_style.py

No Redis client is needed: the queue is a list in this process, and the
worker "dies" by raising between taking a job and finishing it, as a
worker process killed with `kill -9` stops between two commands.
"""


class Killed(Exception):
    """The worker process was killed."""


# ANCHOR: naive
def naive_worker(queue, done, dies_after):
    for count in range(len(queue)):
        job = queue.pop()  # RPOP: the job now lives only in this worker
        if count == dies_after:
            raise Killed
        done.append(job)
# ANCHOR_END: naive


# ANCHOR: reliable
def reliable_worker(queue, processing, done, dies_after):
    for count in range(len(queue)):
        job = queue.pop()
        processing.append(job)  # one LMOVE on a real server: one step
        if count == dies_after:
            raise Killed
        done.append(job)
        processing.remove(job)  # the ack


def reap(queue, processing):
    while processing:
        queue.insert(0, processing.pop())  # back to the queue
# ANCHOR_END: reliable


def main():
    queue, done = list(range(10)), []
    try:
        naive_worker(queue, done, dies_after=3)
    except Killed:
        pass
    naive_worker(queue, done, dies_after=None)  # a new worker does the rest
    print(f"naive:    {10 - len(set(done))} of 10 jobs lost")

    queue, processing, done = list(range(10)), [], []
    try:
        reliable_worker(queue, processing, done, dies_after=3)
    except Killed:
        reap(queue, processing)
    reliable_worker(queue, processing, done, dies_after=None)
    print(f"reliable: {10 - len(set(done))} of 10 jobs lost, "
          f"{len(done) - len(set(done))} done twice")


if __name__ == "__main__":
    main()
