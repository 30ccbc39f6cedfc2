"""The one exception the importer raises: names the file, the line and what was expected."""

from django.utils.translation import gettext as _


class ImportProblem(Exception):
    """Minutes the importer cannot read: names the file, the line and what was expected."""

    def __init__(self, expected, *, line=None, file=None):
        self.expected = expected
        self.line = line
        self.file = file
        super().__init__(str(self))

    def __str__(self):
        where = self.file or _("the minutes")
        if self.line:
            where = _("{file}, line {line}").format(file=where, line=self.line)
        return f"{where}: {self.expected}"
