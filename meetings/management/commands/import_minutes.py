"""Import existing minutes (.txt, .pdf or .docx) into records: a whole back catalogue at once, in date
order, each file in its own transaction, with a report of what became of every file."""

import json
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from meetings import importer


def _day(value):
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date; expected YYYY-MM-DD.") from None


def _files(arguments):
    """The files named, a directory standing for the files in it (sorted; hidden files left out)."""
    files = []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            files.extend(str(p) for p in sorted(path.iterdir()) if p.is_file() and not p.name.startswith("."))
        else:
            files.append(argument)
    return files


class Command(BaseCommand):
    help = (
        "Import minutes from .txt, .pdf or .docx files (the back catalogue), in date order, each file in its "
        "own transaction. --dry-run shows what would be saved; --format json prints a report as JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="Files, or directories of files.")
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
        files = _files(options["files"])
        report = []
        parsed_files = []
        # Read every file first, so that they are written in date order: later minutes can then
        # record the adoption of earlier ones.
        for path in files:
            try:
                parsed_files.append((path, importer.read_minutes(path, default_date=default_date)))
            except importer.ImportProblem as problem:
                self.refused(report, path, problem)
        parsed_files.sort(key=lambda entry: (entry[1].date, entry[0]))
        for path, parsed in parsed_files:
            if options["dry_run"]:
                report.append(self.entry(path, parsed, "would import"))
                self.describe(path, parsed, options["format"], dry_run=True)
                continue
            try:
                meeting = importer.write(
                    parsed,
                    status=options["status"],
                    create_delegations=options["create_delegations"],
                    replace=options["replace"],
                    adopted_at=adopted_at,
                    silence_procedure_ends=silence,
                )
            except importer.ImportProblem as problem:
                self.refused(report, path, problem, parsed)
                continue
            report.append(dict(self.entry(path, parsed, "imported"), status=meeting.status))
            self.describe(path, parsed, options["format"], meeting=meeting)
        self.summarise(report, parsed_files, options)
        failures = [entry for entry in report if entry["outcome"] == "refused"]
        if failures:
            raise CommandError(f"{len(failures)} of {len(files)} file(s) not imported; nothing was written for them.")

    def entry(self, path, parsed, outcome):
        return {
            "file": path,
            "date": parsed.meeting["date"],
            "outcome": outcome,
            "source": parsed.origin,
            "exact": parsed.exact,
            "counts": parsed.summary(),
            "unknown_delegations": parsed.unknown_delegations,
            "warnings": list(parsed.warnings),
        }

    def refused(self, report, path, problem, parsed=None):
        problem.file = problem.file or path
        self.stderr.write(f"Not imported: {problem}")
        report.append(
            {
                "file": path,
                "date": parsed.meeting["date"] if parsed else None,
                "outcome": "refused",
                "error": str(problem),
                "warnings": list(parsed.warnings) if parsed else [],
            }
        )

    def summarise(self, report, parsed_files, options):
        if options["format"] == "json":
            if options["dry_run"] and len(options["files"]) == 1 and len(parsed_files) == 1:
                # One file, dry run: the parsed record itself.
                self.stdout.write(json.dumps(parsed_files[0][1].as_dict(), ensure_ascii=False, indent=2))
            elif options["dry_run"] and parsed_files and len(parsed_files) == len(report):
                data = [parsed.as_dict() for _path, parsed in parsed_files]
                self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            else:
                self.stdout.write(json.dumps({"files": report}, ensure_ascii=False, indent=2))
            return
        if len(report) < 2:
            return
        width = max(len(entry["file"]) for entry in report)
        self.stdout.write("")
        self.stdout.write(f"{'FILE':<{width}}  {'DATE':<10}  {'OUTCOME':<12}  WARNINGS")
        for entry in sorted(report, key=lambda e: (e["date"] or "9999", e["file"])):
            day, warnings = entry["date"] or "-", len(entry["warnings"])
            self.stdout.write(f"{entry['file']:<{width}}  {day:<10}  {entry['outcome']:<12}  {warnings}")

    def describe(self, path, parsed, output_format, dry_run=False, meeting=None):
        if output_format == "json":
            return
        counts = parsed.summary()
        verb = "Would import" if dry_run else "Imported"
        source = " from its minutes.json" if parsed.origin != "text" else ""
        self.stdout.write(
            f"{verb} {path}{source}: meeting of {parsed.meeting['date']}, {counts['present']} delegations present "
            f"({counts['representatives']} representatives), {counts['apologies']} apologies, {counts['items']} items"
            + (f", saved as {meeting.get_status_display().lower()}" if meeting else "")
            + (" — equal to the record it carries, field for field" if parsed.exact else "")
        )
        if parsed.unknown_delegations:
            self.stdout.write("  Unknown delegations: " + ", ".join(parsed.unknown_delegations))
        for warning in parsed.warnings:
            self.stdout.write(f"  Warning: {warning}")
