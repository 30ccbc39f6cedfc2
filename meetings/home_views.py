"""Where each role lands after logging in: ISU staff's workspace, the coordinators' home, and the
page that sends each user to theirs."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from meetings import homes, permissions, workflow


@login_required
def role_home(request):
    if permissions.is_isu_staff(request.user):
        return redirect("meetings:drafting_workspace")
    if permissions.is_coordinator(request.user):
        return redirect("meetings:coordinator_home")
    return redirect("portal:home")


@login_required
def coordinator_home(request):
    if not permissions.is_coordinator(request.user):
        raise PermissionDenied(_("This page is the coordinators' home."))
    # A procedure whose end has passed is closed before anyone reads it as running.
    workflow.close_silence_procedures()
    return render(request, "meetings/coordinator_home.html", homes.coordinator_home(request.user))
