"""Rebuild the search entries of every published meeting (after a deployment that changes what is indexed)."""

from django.core.management.base import BaseCommand

from meetings import search


class Command(BaseCommand):
    help = "Rebuild the search entries of every published meeting."

    def handle(self, *args, **options):
        count = search.reindex()
        if options["verbosity"]:
            self.stdout.write(f"Indexed {count} published meeting(s).")
