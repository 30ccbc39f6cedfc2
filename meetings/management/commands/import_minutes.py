"""Import existing minutes (.txt or .pdf) into records, each file in its own transaction."""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from meetings import importer


def _day(value):
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date; expected YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = "Import minutes from .txt or .pdf files (the back catalogue). --dry-run shows what would be saved."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--dry-run", action="store_true", help="Parse and show the record; write nothing.")
        parser.add_argument("--format", choices=["json", "text"], default="text")
        parser.add_argument("--date", help="The meeting date (YYYY-MM-DD) when the text gives no year.")
        parser.add_argument("--status", choices=["draft", "adopted", "published"], default="draft")
        parser.add_argument("--adopted-at", help="Date of the later meeting that adopted these minutes.")
        parser.add_argument("--silence-procedure-ends", help="Date the silence procedure adopting them ended.")
        parser.add_argument("--create-delegations", action="store_true", help="Create unknown delegations.")
        parser.add_argument("--replace", action="store_true", help="Replace minutes already imported as a draft.")

    def handle(self, *args, **options):
        default_date = options["date"] and _day(options["date"])
        adopted_at = options["adopted_at"] and _day(options["adopted_at"])
        silence = options["silence_procedure_ends"] and _day(options["silence_procedure_ends"])
        failures = []
        dry_run_output = []
        for path in options["files"]:
            try:
                parsed = importer.parse(importer.read_source(path), default_date=default_date)
                if options["dry_run"]:
                    dry_run_output.append(parsed)
                    self.report(path, parsed, options["format"], dry_run=True)
                    continue
                meeting = importer.write(
                    parsed,
                    status=options["status"],
                    create_delegations=options["create_delegations"],
                    replace=options["replace"],
                    adopted_at=adopted_at,
                    silence_procedure_ends=silence,
                )
            except importer.ImportProblem as problem:
                problem.file = problem.file or path
                failures.append(str(problem))
                self.stderr.write(f"Not imported: {problem}")
                continue
            self.report(path, parsed, options["format"], meeting=meeting)
        if options["dry_run"] and options["format"] == "json":
            data = [p.as_dict() for p in dry_run_output]
            self.stdout.write(json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2))
        if failures:
            raise CommandError(
                f"{len(failures)} of {len(options['files'])} file(s) not imported; nothing was written for them."
            )

    def report(self, path, parsed, output_format, dry_run=False, meeting=None):
        if output_format == "json":
            if not dry_run:
                self.stdout.write(
                    json.dumps({"file": path, "meeting": parsed.meeting["date"], "status": meeting.status})
                )
            return
        counts = parsed.summary()
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            f"{verb} {path}: meeting of {parsed.meeting['date']}, {counts['present']} delegations present "
            f"({counts['representatives']} representatives), {counts['apologies']} apologies, {counts['items']} items"
            + (f", saved as {meeting.get_status_display().lower()}" if meeting else "")
        )
        if parsed.unknown_delegations:
            self.stdout.write("  Unknown delegations: " + ", ".join(parsed.unknown_delegations))
        for warning in parsed.warnings:
            self.stdout.write(f"  Warning: {warning}")
