"""ISU staff's drafting pages: the workspace, a new meeting, the attendance sheet, item editing,
follow-ups and the Markdown preview. Thin: check access, validate, call meetings/drafting.py."""

import copy
import json
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from meetings import documents, drafting, homes, permissions, record_json, signing, workflow
from meetings.forms import (
    ActionPointFormSet,
    AttendanceFormSet,
    AttendanceRevisionForm,
    DecisionFormSet,
    DocumentForm,
    DocumentReplaceForm,
    FollowUpForm,
    ItemForm,
    MeetingEditForm,
    MeetingForm,
    PreviewForm,
    delegation_choices,
)
from meetings.models import (
    CIRCULATED_MESSAGE,
    FROZEN_MESSAGE,
    AgendaItem,
    Document,
    Meeting,
    RecordFrozen,
    ReviewComment,
)
from meetings.permissions import get_meeting_or_404

CONFLICT_MESSAGE = gettext_lazy(
    "Someone else saved this after you opened it. Your text is still in the form: compare it with "
    "what they changed, merge, and save again."
)


def staff_required(view):
    """Pages about no one record: anonymous visitors log in first, others get 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not permissions.can_draft(request.user):
            raise PermissionDenied(_("Only ISU staff draft minutes."))
        return view(request, *args, **kwargs)

    return wrapper


def get_editable_meeting(request, meeting_date):
    """404 for whoever may not see the meeting; 403 for whoever may see but not edit it."""
    meeting = get_meeting_or_404(request, meeting_date)
    if not permissions.can_edit_meeting(request.user, meeting):
        if not permissions.can_draft(request.user):
            raise PermissionDenied(_("Only ISU staff edit minutes."))
        raise RecordFrozen(FROZEN_MESSAGE if meeting.is_adopted else CIRCULATED_MESSAGE)
    return meeting


def get_item_or_404(meeting, item_id):
    item = drafting.load_item(meeting, item_id)
    if item is None:
        raise Http404(_("No such item in this meeting."))
    return item


def _rebind_after_conflict(request, revision, snapshot):
    data = request.POST.copy()
    data["revision"] = str(revision)
    data["started"] = json.dumps(snapshot)
    return data


@staff_required
def drafting_workspace(request):
    """ISU staff's home: every set of minutes not yet published, by what it waits for."""
    # A procedure whose end has passed is closed before anyone reads it as running.
    workflow.close_silence_procedures()
    return render(
        request,
        "meetings/drafting_workspace.html",
        {**homes.staff_workspace(), "unsigned_reason": signing.unsigned_reason()},
    )


@staff_required
def drafting_meeting_new(request):
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = drafting.create_meeting(
                request.user,
                date=data["date"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                venue=data["venue"],
                presidency=data["presidency"],
            )
        except IntegrityError:
            form.add_error("date", _("There is already a meeting on this date."))
        else:
            messages.success(request, _("Meeting created from the standard agenda."))
            return redirect("meetings:drafting_meeting", meeting.date.isoformat())
    return render(request, "meetings/drafting_meeting_new.html", {"form": form})


def drafting_meeting(request, meeting_date):
    """Staff's page for one meeting. Adopted minutes open read-only here (their workflow actions,
    such as publishing, still show); any change to them is refused."""
    meeting = get_meeting_or_404(request, meeting_date)
    can_edit = permissions.can_edit_meeting(request.user, meeting)
    if request.method == "POST" or not permissions.can_draft(request.user):
        meeting = get_editable_meeting(request, meeting_date)
    snapshot = drafting.meeting_snapshot(meeting)
    # The form works on a copy, so that links on a re-rendered page keep the saved date.
    form = MeetingEditForm(
        request.POST or None, instance=copy.copy(meeting), revision=meeting.revision, snapshot=snapshot
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = drafting.save_meeting(
                meeting, request.user, form.cleaned_data["revision"], form.cleaned_data["started"], form.cleaned_data
            )
        except drafting.Conflict as exc:
            conflict = exc
            fresh = Meeting.objects.get(pk=meeting.pk)
            form = MeetingEditForm(
                _rebind_after_conflict(request, exc.current.revision, exc.snapshot),
                instance=fresh,
                revision=exc.current.revision,
                snapshot=exc.snapshot,
            )
            form.is_valid()
            form.add_error(None, CONFLICT_MESSAGE)
        except IntegrityError:
            form.add_error("date", _("There is already a meeting on this date."))
        except drafting.DraftingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Meeting details saved."))
            return redirect("meetings:drafting_meeting", saved.date.isoformat())
        meeting.refresh_from_db()  # a refused save shows the record as saved now
    action_points = drafting.open_action_points(meeting)
    follow_ups = meeting.action_point_follow_ups.select_related("action_point__agenda_item__meeting")
    agenda = meeting.agenda()
    context = {
        "meeting": meeting,
        "can_edit": can_edit,
        "form": form,
        "conflict": conflict,
        "agenda": agenda,
        "documents": record_json.documents_of(meeting, agenda),
        # Its own ids: the page also holds the meeting's details form.
        "document_form": DocumentForm(meeting=meeting, agenda=agenda, auto_id="id_document_%s") if can_edit else None,
        "open_action_points": [
            (
                point,
                FollowUpForm(
                    initial={"action_point": point.pk}, action_points=action_points, auto_id=f"id_ap{point.pk}_%s"
                ),
            )
            for point in action_points
        ],
        "follow_ups": follow_ups,
        # The coordinators' proposals wait on the review page until staff apply them there.
        "waiting_proposals": ReviewComment.objects.filter(version__meeting=meeting).waiting_to_apply().count(),
    }
    return render(request, "meetings/drafting_meeting.html", context)


def drafting_attendance(request, meeting_date):
    meeting = get_editable_meeting(request, meeting_date)
    if meeting.status == Meeting.Status.ANNOUNCED:
        messages.error(request, drafting.ATTENDANCE_AFTER_MEETING)
        return redirect("meetings:drafting_meeting", meeting_date)
    initial = drafting.attendance_sheet(meeting)
    reps = drafting.representatives_by_delegation([row["delegation"].pk for row in initial])
    kwargs = {"initial": initial, "form_kwargs": {"representatives": reps, "delegation_choices": delegation_choices()}}
    formset = AttendanceFormSet(request.POST or None, **kwargs)
    revision_form = AttendanceRevisionForm(request.POST or None, revision=meeting.attendance_revision)
    conflict = False
    if request.method == "POST" and formset.is_valid() and revision_form.is_valid():
        try:
            drafting.save_attendance(
                meeting, request.user, revision_form.cleaned_data["revision"], formset.cleaned_data
            )
        except drafting.Conflict as exc:
            conflict = True
            revision_form = AttendanceRevisionForm(
                _rebind_after_conflict(request, exc.current.attendance_revision, {}),
                revision=exc.current.attendance_revision,
            )
            revision_form.is_valid()
            messages.error(
                request,
                _(
                    "Someone else saved the attendance after you opened it. Your marks are still below; "
                    "check them against the record and save again."
                ),
            )
        except drafting.DraftingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Attendance saved."))
            return redirect("meetings:drafting_meeting", meeting.date.isoformat())
    context = {"meeting": meeting, "formset": formset, "revision_form": revision_form, "conflict": conflict}
    return render(request, "meetings/drafting_attendance.html", context)


def _item_forms(request, item, data, revision, snapshot, choices):
    form = ItemForm(
        data,
        revision=revision,
        snapshot=snapshot,
        delegation_choices=choices,
        initial={
            "title": item.title,
            "body": item.body,
            **{f"lead_{i}": link.delegation_id for i, link in enumerate(item.lead_links.all(), start=1)},
        },
    )
    action_points = ActionPointFormSet(
        data, queryset=item.action_points.all(), prefix="ap", form_kwargs={"delegation_choices": choices}
    )
    decisions = DecisionFormSet(data, queryset=item.decisions.all(), prefix="dec")
    return form, action_points, decisions


def drafting_item(request, meeting_date, item_id):
    meeting = get_editable_meeting(request, meeting_date)
    item = get_item_or_404(meeting, item_id)
    choices = delegation_choices()
    snapshot = drafting.item_snapshot(item)
    form, action_points, decisions = _item_forms(request, item, request.POST or None, item.revision, snapshot, choices)
    conflict = None
    if request.method == "POST" and all([form.is_valid(), action_points.is_valid(), decisions.is_valid()]):
        data = form.cleaned_data
        try:
            drafting.save_item(
                item,
                request.user,
                data["revision"],
                data["started"],
                title=data["title"],
                body=data["body"],
                leads=data["leads"],
                action_points=action_points.cleaned_data,
                decisions=decisions.cleaned_data,
            )
        except drafting.Conflict as exc:
            conflict = exc
            item = exc.current
            form, action_points, decisions = _item_forms(
                request,
                item,
                _rebind_after_conflict(request, item.revision, exc.snapshot),
                item.revision,
                exc.snapshot,
                choices,
            )
            form.is_valid()
            form.add_error(None, CONFLICT_MESSAGE)
        except drafting.DraftingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Item saved."))
            return redirect("meetings:drafting_item", meeting.date.isoformat(), item.pk)
    context = {
        "meeting": meeting,
        "item": item,
        "form": form,
        "action_points": action_points,
        "decisions": decisions,
        "conflict": conflict,
        "number": _number_of(meeting, item),
    }
    return render(request, "meetings/drafting_item.html", context)


def _number_of(meeting, item):
    items = list(AgendaItem.objects.filter(meeting=meeting).only("id", "parent_id", "position"))
    for top in AgendaItem.number_tree(items):
        for candidate in [top, *top.children]:
            if candidate.pk == item.pk:
                return candidate.number
    return ""


@require_POST
def drafting_item_add(request, meeting_date):
    meeting = get_editable_meeting(request, meeting_date)
    parent = None
    if request.POST.get("parent"):
        if not request.POST["parent"].isdigit():
            raise Http404(_("No such item in this meeting."))
        parent = get_item_or_404(meeting, int(request.POST["parent"]))
    try:
        item = drafting.add_item(meeting, request.user, parent=parent)
    except drafting.DraftingError as exc:
        messages.error(request, str(exc))
        return redirect("meetings:drafting_meeting", meeting.date.isoformat())
    messages.success(request, _("Item added: give it a title."))
    return redirect("meetings:drafting_item", meeting.date.isoformat(), item.pk)


@require_POST
def drafting_item_remove(request, meeting_date, item_id):
    meeting = get_editable_meeting(request, meeting_date)
    item = get_item_or_404(meeting, item_id)
    drafting.remove_item(item, request.user)
    messages.success(request, _("Item removed; the numbers that follow have moved up."))
    return redirect("meetings:drafting_meeting", meeting.date.isoformat())


@require_POST
def drafting_item_move(request, meeting_date, item_id):
    meeting = get_editable_meeting(request, meeting_date)
    item = get_item_or_404(meeting, item_id)
    try:
        drafting.move_item(item, request.user, request.POST.get("direction", ""))
    except drafting.DraftingError as exc:
        messages.error(request, str(exc))
    return redirect(f"{meeting.get_drafting_url()}#agenda-item-{item.pk}")


@require_POST
def drafting_follow_up(request, meeting_date):
    meeting = get_editable_meeting(request, meeting_date)
    form = FollowUpForm(request.POST, action_points=drafting.followable_action_points(meeting))
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(request, error if field == "__all__" else f"{form.fields[field].label}: {error}")
        return redirect("meetings:drafting_meeting", meeting.date.isoformat())
    try:
        drafting.record_follow_up(
            meeting,
            request.user,
            form.cleaned_data["action_point"],
            form.cleaned_data["note"],
            form.cleaned_data["status"],
        )
    except drafting.DraftingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Follow-up recorded at this meeting."))
    return redirect(f"{meeting.get_drafting_url()}#follow-ups")


@require_POST
@staff_required
def drafting_preview(request):
    form = PreviewForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("The text is too long to preview."), status=400, content_type="text/plain")
    return HttpResponse(drafting.render_markdown(form.cleaned_data["body"]), content_type="text/html; charset=utf-8")


def get_document_or_404(meeting, document_id):
    document = Document.objects.filter(meeting=meeting, pk=document_id).first()
    if document is None:
        raise Http404(_("No such document in this meeting."))
    return document


def drafting_document_attach(request, meeting_date):
    """Attach a document to a draft's meeting or one of its items (the form is also on the
    meeting's drafting page; this page shows it again with what was wrong)."""
    meeting = get_editable_meeting(request, meeting_date)
    agenda = meeting.agenda()
    form = DocumentForm(request.POST or None, request.FILES or None, meeting=meeting, agenda=agenda)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            documents.attach(
                meeting,
                request.user,
                data["upload"],
                title=data["title"],
                kind=data["kind"],
                language=data["language"],
                symbol=data["symbol"],
                agenda_item=data["agenda_item"],
                presented_by=data["presented_by"],
            )
        except documents.DocumentRefused as exc:
            form.add_error("upload", str(exc))
        else:
            messages.success(request, _("Document attached."))
            return redirect(f"{meeting.get_drafting_url()}#documents")
    status = 400 if form.errors else 200
    return render(request, "meetings/drafting_document.html", {"meeting": meeting, "form": form}, status=status)


def drafting_document_replace(request, meeting_date, document_id):
    meeting = get_editable_meeting(request, meeting_date)
    document = get_document_or_404(meeting, document_id)
    form = DocumentReplaceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            documents.replace(document, request.user, form.cleaned_data["upload"])
        except documents.DocumentRefused as exc:
            form.add_error("upload", str(exc))
        else:
            messages.success(request, _("The document's file was replaced."))
            return redirect(f"{meeting.get_drafting_url()}#documents")
    status = 400 if form.errors else 200
    context = {"meeting": meeting, "form": form, "document": document}
    return render(request, "meetings/drafting_document.html", context, status=status)


@require_POST
def drafting_document_remove(request, meeting_date, document_id):
    meeting = get_editable_meeting(request, meeting_date)
    document = get_document_or_404(meeting, document_id)
    try:
        documents.remove(document, request.user)
    except documents.DocumentRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Document removed."))
    return redirect(f"{meeting.get_drafting_url()}#documents")
