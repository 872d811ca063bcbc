"""Tasks the task benchmark queues (bench/tasks_bench.py): importable by its workers."""

from django_tasks import task


@task()
def nothing(number: int) -> int:
    return number
