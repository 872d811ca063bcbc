"""The `dateline` command: serve the site, run the worker, load the demo, manage."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

DEFAULT_SETTINGS = "dateline.settings.base"


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    import django

    django.setup()


def cmd_manage(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["dateline manage", *args.arguments])
    return 0


def cmd_setup(args: argparse.Namespace) -> int:
    _setup_django()
    from dateline.ops.setup import prepare_site

    prepare_site(with_demo=args.demo, out=sys.stdout)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    _setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from dateline.demo.loader import DemoAlreadyLoaded, load_demo

    try:
        counts = load_demo()
    except DemoAlreadyLoaded as error:
        if args.articles is None:
            print(error)
            return 0
    else:
        print(
            f"Demo content loaded: {counts['languages']} languages, "
            f"{counts['sections']} sections, {counts['articles']} articles, "
            f"{counts['authors']} authors."
        )
    if args.articles is not None:
        return _add_demo_articles(args.articles)
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    _setup_django()
    from dateline.ops.backup import BackupError, create_backup

    try:
        path, manifest = create_backup(args.path)
    except BackupError as error:
        print(f"dateline backup: error: {error}", file=sys.stderr)
        return 2
    counts = manifest.counts
    print(
        f"Backed up to {path}: {counts['articles']} articles, {counts['images']} images, "
        f"{counts['views']} views ({manifest.engine})."
    )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    _setup_django()
    from dateline.ops.backup import BackupError, restore_backup

    try:
        manifest = restore_backup(args.path, force=args.force)
    except BackupError as error:
        print(f"dateline restore: error: {error}", file=sys.stderr)
        return 2
    counts = manifest.counts
    print(
        f"Restored the site of {manifest.created_at}: {counts['articles']} articles, "
        f"{counts['images']} images, {counts['views']} views. "
        "Run `dateline setup` to apply any newer migrations."
    )
    return 0


def cmd_ingest_url(args: argparse.Namespace) -> int:
    _setup_django()
    from dateline.ingest.commands import ImportRefused, import_url

    try:
        print(import_url(args.url, section_slug=args.section, language=args.language))
    except ImportRefused as error:
        print(f"dateline ingest url: error: {error}", file=sys.stderr)
        return 2
    return 0


def cmd_ingest_poll(args: argparse.Namespace) -> int:
    _setup_django()
    from dateline.ingest.commands import ImportRefused, poll_now

    try:
        lines, failed = poll_now(args.source)
    except ImportRefused as error:
        print(f"dateline ingest poll: error: {error}", file=sys.stderr)
        return 2
    for line in lines:
        print(line)
    return 1 if failed else 0


def _add_demo_articles(target: int) -> int:
    import time

    from dateline.demo.bulk import add_stories
    from dateline.news.models import ArticlePage

    missing = target - ArticlePage.objects.count()
    if missing <= 0:
        print(f"The site already has {target} or more articles; none were added.")
        return 0
    started = time.monotonic()

    def progress(done: int) -> None:
        if done % 10_000 < 500 or done == missing:
            print(f"  {done} of {missing} articles written", flush=True)

    add_stories(missing, progress=progress)
    print(f"Added {missing} articles in {time.monotonic() - started:.0f} s.")
    return 0


def _article_count(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = -1
    if not 0 <= number <= 10_000_000:
        raise argparse.ArgumentTypeError(
            f"expected a whole number from 0 to 10000000, not {value!r}"
        )
    return number


def cmd_worker(args: argparse.Namespace) -> int:
    _setup_django()
    from dateline.ops.worker import run_worker

    run_worker(interval=args.interval, once=args.once, parent_pid=args.parent_pid)
    return 0


def _allow_open_files(wanted: int) -> None:
    """Raise this process's limit of open files (each connection is one) toward `wanted`,
    as far as the system's hard limit lets an unprivileged process."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    ceiling = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < ceiling:
        resource.setrlimit(resource.RLIMIT_NOFILE, (ceiling, hard))


def _load_what_the_children_share() -> None:
    """Load, once in this process, the code and models that the web processes and the
    worker forked from it all need, then set it aside from the garbage collector: a
    page a child only reads stays one page in memory for every process (the collector
    would write to each object it visits, and each write gives the child its own copy of
    the page). Nothing that holds a connection, a thread or a socket is made here."""
    import gc

    from django.db import connections
    from django.urls import get_resolver

    import dateline.analytics.fastpath  # noqa: F401
    import dateline.ops.health  # noqa: F401
    import dateline.ops.requestlog  # noqa: F401
    import dateline.ops.worker  # noqa: F401 - the worker's jobs and queue
    import dateline.pagecache.layer  # noqa: F401 - the layers around Django

    loaded = get_resolver().url_patterns  # every view the site and the newsroom answer with
    del loaded
    connections.close_all()
    gc.collect()
    gc.freeze()


def _run_forked_worker() -> int:
    """The background worker, in a fork of `dateline serve`'s main process."""
    from dateline.ops.worker import run_worker

    run_worker(parent_pid=os.getppid())
    return 0


# glibc's defaults for `dateline serve` and every process it starts, unless the operator
# set them. Two pools: glibc gives each thread that allocates its own pool and rarely hands
# the memory back; a web process with four threads grew to 384 MB where two pools kept it
# at 207 MB under the same traffic. A fixed threshold of 128 KB for memory taken straight
# from the system: by default glibc raises it (up to 32 MB) each time such a block is
# freed, after which large buffers (pictures being resized, long pages, search results)
# are carved out of the pools and their freed pieces stay there; fixed, they go back as
# they are freed. Together with the returning of freed memory (ops/memory.py) the
# processes of `make run` held 284 MB after the soak where they held 304 MB without it
# (bench/memory_bench.py), with the cached home page served as fast.
def _limit_memory_pools() -> None:
    """Start this process again with glibc's settings above where the operator chose no
    value. glibc reads these variables only as a process starts, and the web processes
    and the worker are forked from this one, so they must be set here."""
    chosen = False
    if "MALLOC_ARENA_MAX" not in os.environ:
        os.environ["MALLOC_ARENA_MAX"] = "2"
        chosen = True
    if "MALLOC_MMAP_THRESHOLD_" not in os.environ:
        os.environ["MALLOC_MMAP_THRESHOLD_"] = "131072"
        chosen = True
    if chosen:
        os.execv(sys.executable, sys.orig_argv)


def cmd_serve(args: argparse.Namespace) -> int:
    _limit_memory_pools()
    _setup_django()
    from django.conf import settings
    from granian import Granian
    from granian.constants import Interfaces

    host = args.host if args.host is not None else settings.DATELINE_HOST
    port = args.port if args.port is not None else settings.DATELINE_PORT
    workers = args.workers if args.workers is not None else settings.DATELINE_WORKERS
    threads = args.threads if args.threads is not None else settings.DATELINE_THREADS

    _allow_open_files(settings.DATELINE_MAX_CONNECTIONS * workers + 1024)
    _load_what_the_children_share()
    supervisor = None
    if not args.no_scheduler:
        from dateline.ops.supervisor import WorkerSupervisor

        # The same worker as `dateline worker`, beside the web processes, so the embedded
        # mode needs nothing else running; started again if it dies.
        supervisor = WorkerSupervisor(_run_forked_worker)
        supervisor.start()
    try:
        print(f"Dateline is serving on http://{host}:{port}/", flush=True)
        Granian(
            target="dateline.wsgi:application",
            interface=Interfaces.WSGI,
            address=host,
            port=port,
            workers=workers,
            blocking_threads=threads,
            backlog=2048,
            backpressure=settings.DATELINE_MAX_CONNECTIONS,
            log_access=args.access_log,
        ).serve()
    finally:
        if supervisor is not None:
            supervisor.stop()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dateline", description="Dateline, a multilingual news publishing platform."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="serve the site with a production server")
    # Unset options fall back to settings (DATELINE_HOST, …), read once Django is set up.
    serve.add_argument(
        "--host", default=None, help="address to listen on (default DATELINE_HOST, 127.0.0.1)"
    )
    serve.add_argument("--port", type=int, default=None, help="port (default DATELINE_PORT, 8000)")
    serve.add_argument(
        "--workers",
        type=int,
        default=None,
        help="web processes (default DATELINE_WORKERS, 1; about one per core)",
    )
    serve.add_argument(
        "--threads",
        type=int,
        default=None,
        help="threads per web process (default DATELINE_THREADS, 4)",
    )
    serve.add_argument(
        "--no-scheduler",
        action="store_true",
        help="do not start a background worker beside the server (run `dateline worker`)",
    )
    serve.add_argument("--access-log", action="store_true", help="log every request")
    serve.set_defaults(handler=cmd_serve)

    setup = commands.add_parser(
        "setup",
        help="migrate, collect static files, create the site and an admin account",
    )
    setup.add_argument(
        "--demo", action="store_true", help="also load the demo content if there is none"
    )
    setup.set_defaults(handler=cmd_setup)

    demo = commands.add_parser("demo", help="load the demo content (four languages)")
    demo.add_argument(
        "--articles",
        type=_article_count,
        default=None,
        metavar="N",
        help="then add generated stories until the site has N articles (for scale tests)",
    )
    demo.set_defaults(handler=cmd_demo)

    worker = commands.add_parser(
        "worker",
        help="run queued background tasks and queue the periodic ones (scheduled "
        "publishing every minute, view counts, clean-ups)",
    )
    worker.add_argument(
        "--once",
        action="store_true",
        help="run every periodic job once in this process, then the queued tasks, and exit",
    )
    worker.add_argument(
        "--interval",
        type=int,
        default=None,
        help="seconds between runs (default DATELINE_SCHEDULER_INTERVAL, 60)",
    )
    worker.add_argument("--parent-pid", type=int, default=None, help=argparse.SUPPRESS)
    worker.set_defaults(handler=cmd_worker)

    backup = commands.add_parser(
        "backup", help="write an archive of the database and media (safe while serving)"
    )
    backup.add_argument(
        "path",
        nargs="?",
        type=Path,
        default=None,
        help="archive to write (default <data dir>/backups/dateline-<time>.tar.gz)",
    )
    backup.set_defaults(handler=cmd_backup)

    restore = commands.add_parser(
        "restore", help="bring a site back from an archive into an empty site"
    )
    restore.add_argument("path", type=Path, help="archive written by `dateline backup`")
    restore.add_argument(
        "--force", action="store_true", help="overwrite a site that already has content"
    )
    restore.set_defaults(handler=cmd_restore)

    ingest = commands.add_parser("ingest", help="bring stories in from the wire or a web page")
    ingest_commands = ingest.add_subparsers(dest="ingest_command", required=True, metavar="WHAT")
    ingest_url = ingest_commands.add_parser(
        "url", help="import one web page as a draft story and print its address in the admin"
    )
    ingest_url.add_argument("url", help="the page's address (http or https)")
    ingest_url.add_argument("--section", default=None, help="section slug (default: the first)")
    ingest_url.add_argument(
        "--language", default=None, help="language code (default: the site's first language)"
    )
    ingest_url.set_defaults(handler=cmd_ingest_url)
    ingest_poll = ingest_commands.add_parser(
        "poll", help="poll every wire source that is on, or the one named, now"
    )
    ingest_poll.add_argument("source", nargs="?", default=None, help="source name or number")
    ingest_poll.set_defaults(handler=cmd_ingest_poll)

    manage = commands.add_parser(
        "manage", help="run a Django management command, e.g. `dateline manage migrate`"
    )
    manage.add_argument("arguments", nargs=argparse.REMAINDER)
    manage.set_defaults(handler=cmd_manage)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except ImproperlyConfigured as error:
        # Unsafe or broken settings: the reasons, not a traceback.
        print(f"dateline: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
