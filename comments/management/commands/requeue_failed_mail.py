"""Put comment e-mail tasks that failed (a mail server that was down) back in the queue."""

from django.core.management.base import BaseCommand, CommandError
from django_tasks import TaskResultStatus, task_backends
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from comments.tasks import MAIL_TASKS


class Command(BaseCommand):
    help = (
        "Put the comment e-mail tasks that failed every attempt back in the queue, "
        "for the worker (manage.py db_worker) to run again. Other tasks are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count the failed tasks; change nothing."
        )

    def handle(self, *args, dry_run, **options):
        backend = task_backends["default"]
        if not isinstance(backend, DatabaseBackend):
            raise CommandError(
                "requeue_failed_mail needs the database task backend "
                "(TASKS['default']['BACKEND'] = 'django_tasks_db.DatabaseBackend')."
            )
        failed = DBTaskResult.objects.failed().filter(
            backend_name=backend.alias, task_path__in=[task.module_path for task in MAIL_TASKS]
        )
        if dry_run:
            count = failed.count()
        else:
            # Back to READY in place (one row per e-mail, so running this twice
            # queues nothing twice); worker_ids keeps the workers that tried it.
            count = failed.update(
                status=TaskResultStatus.READY,
                started_at=None,
                finished_at=None,
                exception_class_path="",
                traceback="",
                return_value=None,
            )
        if options["verbosity"] >= 1:
            verb = "Would put" if dry_run else "Put"
            self.stdout.write(
                f"{verb} {count} failed e-mail task{'s' if count != 1 else ''} back in the queue."
            )
