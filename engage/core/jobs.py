"""Background jobs: RQ on Redis when REDIS_URL is set, else run at once in-process.

A job is named by its import path ("engage.core.outbox:deliver_pending"), so that
the worker finds it without pickling functions, and runs inside an app context.
Failed jobs are retried, then kept in RQ's failed-job registry, which admins see.
"""

import importlib
import logging

from flask import Flask, current_app

log = logging.getLogger(__name__)

QUEUE_NAME = "engage"
RETRY_INTERVALS = [10, 60, 300]  # seconds before the 2nd, 3rd and 4th tries
_worker_app: Flask | None = None


def _resolve(path: str):
    module_name, _, function_name = path.partition(":")
    return getattr(importlib.import_module(module_name), function_name)


def redis_connection(url: str | None = None):
    import redis

    return redis.Redis.from_url(url or current_app.config["REDIS_URL"])


def queue(connection=None):
    from rq import Queue

    return Queue(QUEUE_NAME, connection=connection or redis_connection())


def enqueue(path: str, *args, job_id: str | None = None, **kwargs):
    """Run `path(*args, **kwargs)` in the background (or now, without Redis).

    `job_id` makes the job unique: queuing it again while it waits does nothing.
    """
    if not current_app.config.get("REDIS_URL"):
        return _resolve(path)(*args, **kwargs)
    from rq import Retry

    jobs = queue()
    if job_id and jobs.fetch_job(job_id) is not None:
        existing = jobs.fetch_job(job_id)
        if existing.get_status(refresh=True) in {"queued", "deferred", "scheduled", "started"}:
            return existing
    return jobs.enqueue(
        run_job, path, args, kwargs, job_id=job_id,
        retry=Retry(max=len(RETRY_INTERVALS), interval=RETRY_INTERVALS),
        result_ttl=3600, failure_ttl=30 * 24 * 3600,
    )


def run_job(path: str, args, kwargs):
    """What the worker runs: the named function inside the context of the worker's app
    (the one `work()` was started with: core does not build applications)."""
    from engage.extensions import db

    if _worker_app is None:
        raise RuntimeError("Jobs run in `flask engage worker`, which starts work().")
    with _worker_app.app_context():
        try:
            result = _resolve(path)(*args, **kwargs)
            db.session.commit()
            return result
        except Exception:
            db.session.rollback()
            raise
        finally:
            db.session.remove()


def failed_jobs(limit: int = 100) -> list:
    """Jobs that failed every try (the dead letters), newest first."""
    from rq.registry import FailedJobRegistry

    jobs = queue()
    found = (jobs.fetch_job(job_id) for job_id in
             FailedJobRegistry(queue=jobs).get_job_ids(0, limit - 1, desc=True))
    return [job for job in found if job is not None]


def requeue_failed(job_id: str) -> None:
    from rq.registry import FailedJobRegistry

    FailedJobRegistry(queue=queue()).requeue(job_id)


def delete_failed(job_id: str) -> None:
    from rq.registry import FailedJobRegistry

    FailedJobRegistry(queue=queue()).remove(job_id, delete_job=True)


def work(burst: bool = False) -> None:
    """Run a worker on the queue (`flask engage worker`), for the current app."""
    global _worker_app
    from rq import Worker

    # current_app is a LocalProxy; its stubs type it as the Flask object itself.
    _worker_app = current_app._get_current_object()  # type: ignore[attr-defined]
    connection = redis_connection()
    Worker([queue(connection)], connection=connection).work(
        with_scheduler=True, burst=burst, logging_level="INFO"
    )
