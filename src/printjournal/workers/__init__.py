"""Render jobs in; their results (or a named failure) out, from worker processes each
bounded in time and memory: the one pool of the website build, an issue's parts, the
desk and the live preview.

    pool        jobs    → results (``WorkerPool``, ``PoolLimits``, ``PoolBusyError``): a dead
                          worker fails only its job, a submitted job is cancellable,
                          workers are recycled
    process     one worker process and the pool's handle on it (``Start``,
                ``RenderTimeoutError``, ``WorkerLostError``, ``JobCancelledError``):
                start (spawn, forkserver, fork), send a job, time and memory limits,
                ending with its parent, stopped or killed leaving no temporary files

Nothing is imported here: ``from printjournal.workers.pool import WorkerPool``.
"""

__all__ = ["pool", "process"]
