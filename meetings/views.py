"""Review pages for one meeting: circulated versions and their comments, version diffs, the
audit trail, and the POST endpoints of the workflow (thin: check, validate, call the verb)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from meetings import audit, drafting, markup, permissions, record_json, review, versions, workflow
from meetings.forms import (
    AdoptForm,
    AnnounceForm,
    BreakSilenceForm,
    CancelForm,
    CirculateForm,
    CommentForm,
    PostponeForm,
    ReplyForm,
    SilenceForm,
)
from meetings.models import Meeting, OfficialRecord, RecordFrozen, ReviewComment, SilenceProcedure
from meetings.permissions import get_meeting_or_404
from meetings.templatetags.times import geneva_time


def _require(allowed):
    if not allowed:
        raise PermissionDenied


def _version_or_404(meeting, number):
    try:
        return meeting.versions.get(number=int(number))
    except (ValueError, TypeError, meeting.versions.model.DoesNotExist):
        raise Http404("No such version.") from None


def meeting_review(request, meeting_date):
    meeting = get_meeting_or_404(request, meeting_date)
    _require(permissions.can_review(request.user, meeting))
    all_versions = list(meeting.versions.order_by("number"))
    if not all_versions:
        show_history = permissions.can_view_history(request.user, meeting)
        context = {"meeting": meeting, "version": None, "show_history": show_history}
        return render(request, "meetings/meeting_review.html", context)
    version = all_versions[-1]
    if request.GET.get("version"):
        version = _version_or_404(meeting, request.GET["version"])
    # Every coordinator sees every delegation's comments, as in a meeting room, named by delegation.
    comments = list(version.comments.select_related("author__representative__delegation", "replied_by"))
    by_place = {}
    for comment in comments:
        by_place.setdefault((comment.item_key, comment.paragraph), []).append(comment)
    items = [_review_item(item, by_place) for item in record_json.flat_items(version.snapshot)]
    is_current = version.pk == all_versions[-1].pk
    can_comment = is_current and permissions.can_comment(request.user, meeting) and version.open_for_comments
    can_reply = permissions.can_reply_to_comments(request.user, meeting)
    context = {
        "meeting": meeting,
        "version": version,
        "versions": all_versions,
        "is_current": is_current,
        "attendance": version.snapshot.get("attendance", []),
        "present_comments": by_place.pop(("present", None), []),
        "items": items,
        "can_comment": can_comment,
        "comment_form": CommentForm(version=version) if can_comment else None,
        "can_reply": can_reply,
        # Proposals wait, listed, until the minutes are back in draft; then staff apply them here.
        "can_apply": permissions.can_apply_proposals(request.user, meeting),
        "waiting": [comment for comment in comments if comment.waits_to_apply]
        if permissions.is_isu_staff(request.user)
        else [],
        "outcomes": ReviewComment.Outcome.choices,
        "show_history": permissions.can_view_history(request.user, meeting),
    }
    return render(request, "meetings/meeting_review.html", context)


def _review_item(item, by_place):
    """An item of the version with its paragraphs numbered (¶1 …), each with its comments; comments
    on the item as a whole (or on a paragraph it no longer has) stay with the item."""
    texts = markup.paragraphs(item["body"])
    paragraphs = [
        {
            "number": n,
            "text": text,
            "html": markup.render_markdown(text),
            "comments": by_place.get((item["key"], n), []),
        }
        for n, text in enumerate(texts, start=1)
    ]
    whole = [
        comment
        for (key, n), found in by_place.items()
        if key == item["key"] and (n is None or n > len(texts))
        for comment in found
    ]
    return {**item, "paragraphs": paragraphs, "comments": sorted(whole, key=lambda c: (c.created_at, c.pk))}


@require_POST
def comment_create(request, meeting_date):
    meeting = get_meeting_or_404(request, meeting_date)
    _require(permissions.can_comment(request.user, meeting))
    version = meeting.latest_version()
    form = CommentForm(request.POST, version=version)
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(error))
        return redirect("meetings:meeting_review", meeting_date)
    try:
        comment = review.add_comment(
            version,
            author=request.user,
            item=form.item(),
            text=form.cleaned_data["text"],
            proposed_text=form.cleaned_data["proposed_text"],
            paragraph=form.cleaned_data["paragraph"],
        )
    except review.ReviewClosed as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your comment is recorded."))
        return redirect(f"{reverse('meetings:meeting_review', args=[meeting_date])}#comment-{comment.pk}")
    return redirect("meetings:meeting_review", meeting_date)


@require_POST
def comment_apply(request, meeting_date, comment_id):
    """Apply a comment's proposed paragraph to the draft in one click; a refusal says why, and
    shows what changed in that paragraph since it was circulated."""
    meeting = get_meeting_or_404(request, meeting_date)
    _require(permissions.can_apply_proposals(request.user, meeting))
    comment = get_object_or_404(
        ReviewComment.objects.select_related("version"), pk=comment_id, version__meeting=meeting
    )
    back = f"{reverse('meetings:meeting_review', args=[meeting_date])}?version={comment.version.number}"
    try:
        review.apply_proposal(comment, by=request.user)
    except (review.ApplyRefused, drafting.DraftingError, drafting.Conflict, RecordFrozen) as exc:
        if isinstance(exc, review.ApplyRefused) and exc.diff is not None:
            before, after = versions.rewrite_html(exc.circulated, exc.current)
            context = {
                "meeting": meeting,
                "comment": comment,
                "message": str(exc),
                "before": before,
                "after": after,
                "item_url": _drafting_item_url(meeting, comment),
                "back": f"{back}#comment-{comment.pk}",
            }
            return render(request, "meetings/comment_apply_refused.html", context, status=409)
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("The proposal is applied to %(place)s and the comment is marked incorporated.")
            % {"place": comment.place},
        )
    return redirect(f"{back}#comment-{comment.pk}")


def _drafting_item_url(meeting, comment):
    if not comment.item_key.isdigit() or not meeting.agenda_items.filter(pk=comment.item_key).exists():
        return None
    return reverse("meetings:drafting_item", args=[meeting.date.isoformat(), int(comment.item_key)])


@require_POST
def comment_reply(request, meeting_date, comment_id):
    meeting = get_meeting_or_404(request, meeting_date)
    _require(permissions.can_reply_to_comments(request.user, meeting))
    comment = get_object_or_404(ReviewComment, pk=comment_id, version__meeting=meeting)
    form = ReplyForm(request.POST)
    if form.is_valid():
        review.reply(comment, by=request.user, text=form.cleaned_data["reply"], outcome=form.cleaned_data["outcome"])
        messages.success(request, _("Your reply is recorded."))
    else:
        messages.error(request, _("Choose an outcome for the comment."))
    url = reverse("meetings:meeting_review", args=[meeting_date])
    return redirect(f"{url}?version={comment.version.number}#comment-{comment.pk}")


def meeting_versions(request, meeting_date):
    meeting = get_meeting_or_404(request, meeting_date)
    _require(permissions.can_view_versions(request.user, meeting))
    all_versions = list(meeting.versions.order_by("number"))
    # "current" is the record as it stands: the adopted text once adopted; staff also see a draft's.
    current_allowed = meeting.is_adopted or permissions.is_isu_staff(request.user)
    choices = [(str(v.number), _("Version %(n)s") % {"n": v.number}) for v in all_versions]
    if current_allowed:
        choices.append(("current", _("Adopted text") if meeting.is_adopted else _("Current text")))
    context = {
        "meeting": meeting,
        "versions": all_versions,
        "choices": choices,
        "rows": None,
        "show_history": permissions.can_view_history(request.user, meeting),
    }
    keys = {key for key, _label in choices}
    if not {request.GET.get("from"), request.GET.get("to")} - {None} <= keys:
        raise Http404("No such version.")
    if len(choices) >= 2:
        # By default the previous circulated version against the latest one; with a single
        # version, that version against the text as it stands.
        default_old, default_new = (
            (choices[-3][0], choices[-2][0])
            if len(all_versions) >= 2 and current_allowed
            else (choices[-2][0], choices[-1][0])
        )
        old_key = request.GET.get("from", default_old)
        new_key = request.GET.get("to", default_new)
        snapshots = {str(v.number): v.snapshot for v in all_versions}
        if "current" in (old_key, new_key):
            current = meeting.adopted_record if meeting.is_adopted else record_json.record_document(meeting)
            snapshots["current"] = current
        rows = versions.compare(snapshots[old_key], snapshots[new_key])
        context.update(
            {
                "rows": rows,
                "old_key": old_key,
                "new_key": new_key,
                "old_label": dict(choices)[old_key],
                "new_label": dict(choices)[new_key],
                "changed": sum(1 for row in rows if row["state"] != "unchanged"),
            }
        )
    return render(request, "meetings/meeting_versions.html", context)


def meeting_history(request, meeting_date):
    meeting = get_meeting_or_404(request, meeting_date)
    _require(permissions.can_view_history(request.user, meeting))
    entries = list(meeting.audit_entries.order_by("-at", "-id"))
    for entry in entries:
        entry.sentence, entry.details = audit.describe(entry)
    return render(request, "meetings/meeting_history.html", {"meeting": meeting, "entries": entries})


# What each irreversible step does, said before it is done (the confirmation page names it).
CONFIRMATIONS = {
    "circulate": (
        gettext_lazy("Circulate these minutes?"),
        gettext_lazy(
            "Circulating sends a new version of these minutes to every coordinator for comment. "
            "That version is frozen as sent: it cannot be recalled, only followed by another version."
        ),
        gettext_lazy("Circulate to the coordinators"),
    ),
    "withdraw": (
        gettext_lazy("Withdraw these minutes to draft?"),
        gettext_lazy(
            "Withdrawing closes the comments on the circulated version and takes the minutes back to draft "
            "for revision. The coordinators see them again only when you circulate a new version."
        ),
        gettext_lazy("Withdraw to draft"),
    ),
    "adopt": (
        gettext_lazy("Record the adoption?"),
        gettext_lazy(
            "Adopting makes this text the Committee's record: it is frozen and its PDF is stored. "
            "It cannot be undone; a correction needs a new record."
        ),
        gettext_lazy("Record the adoption"),
    ),
    "silence_start": (
        gettext_lazy("Start a silence procedure?"),
        gettext_lazy(
            "Every coordinator is told that these minutes are adopted at the end of the procedure unless one "
            "of them breaks silence. It cannot be recalled once the coordinators are told."
        ),
        gettext_lazy("Start the silence procedure"),
    ),
    "silence_break": (
        gettext_lazy("Break silence?"),
        gettext_lazy(
            "Breaking silence stops the adoption of these minutes by silence procedure; the ISU and the "
            "coordinators are told, with your reason. It cannot be undone."
        ),
        gettext_lazy("Break silence"),
    ),
    "announce": (
        gettext_lazy("Announce this meeting?"),
        gettext_lazy(
            "Announcing makes the meeting public at once: its date, times, venue and provisional agenda appear "
            "on the portal and in the calendar feed, and every coordinator is sent an invitation. The remote "
            "link stays private to coordinators and ISU staff."
        ),
        gettext_lazy("Announce the meeting"),
    ),
    "postpone": (
        gettext_lazy("Postpone this meeting?"),
        gettext_lazy(
            "The meeting moves to the new date and time on the portal and in every calendar that follows the "
            "feed, and the coordinators are told."
        ),
        gettext_lazy("Postpone the meeting"),
    ),
    "cancel": (
        gettext_lazy("Cancel this meeting?"),
        gettext_lazy(
            "The meeting is shown as cancelled on the portal and in calendars, and the coordinators are told. "
            "It cannot be undone: announce a new meeting instead."
        ),
        gettext_lazy("Cancel the meeting"),
    ),
    "start_drafting": (
        gettext_lazy("Start drafting the minutes?"),
        gettext_lazy(
            "The minutes start from the provisional agenda as it stands, with the attendance sheet filled in "
            "from the committee. The public then sees only the meeting's date, time and venue, and that its "
            "minutes are in preparation."
        ),
        gettext_lazy("Start drafting"),
    ),
    "supersede": (
        gettext_lazy("Supersede the published record?"),
        gettext_lazy(
            "The corrected record becomes the official record of this meeting, with a new signed PDF and your "
            "reason shown on its page. The published record stays available as superseded: its PDF and "
            "fingerprint are kept. It cannot be undone; a wrong correction needs another correction."
        ),
        gettext_lazy("Supersede the published record"),
    ),
    "publish": (
        gettext_lazy("Publish these minutes?"),
        gettext_lazy("Publishing makes these minutes public. It cannot be undone."),
        gettext_lazy("Publish the minutes"),
    ),
}


def _unconfirmed(request, meeting, step, summary=()):
    """None once the user has confirmed `step`; otherwise the confirmation page, which repeats the
    submitted fields and names the consequence. Nothing has been done when it is shown."""
    if request.POST.get("confirmed") == "yes":
        return None
    title, consequence, button = CONFIRMATIONS[step]
    fields = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", "confirmed")
        for value in values
    ]
    context = {
        "meeting": meeting,
        "title": title,
        "consequence": consequence,
        "button": button,
        "danger": step in ("adopt", "silence_break", "publish", "cancel", "supersede"),
        "fields": fields,
        "summary": summary,
        "action": request.path,
    }
    return render(request, "meetings/meeting_confirm.html", context)


def _run(request, meeting_date, verb, success, **kwargs):
    try:
        verb(**kwargs)
    except workflow.TransitionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect("portal:meeting_detail", meeting_date)


def _form_errors(request, form):
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))


@require_POST
def meeting_circulate(request, meeting_date):
    meeting = get_meeting_or_404(request, meeting_date)
    _require(permissions.can_run_workflow(request.user, meeting))
    form = CirculateForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("portal:meeting_detail", meeting_date)
    if (
        page := _unconfirmed(
            request,
            meeting,
            "circulate",
            [(_("Comments due by"), date_format(form.cleaned_data["comment_deadline"], "j F Y"))],
        )
    ) is not None:
        return page
    return _run(
        request,
        meeting_date,
        workflow.circulate,
        _("The minutes are circulated to the coordinators."),
        meeting=meeting,
        by=request.user,
        comment_deadline=form.cleaned_data["comment_deadline"],
    )


@require_POST
def meeting_withdraw(request, meeting_date):
    meeting = get_meeting_or_404(request, meeting_date)
    _require(permissions.can_run_workflow(request.user, meeting))
    if (page := _unconfirmed(request, meeting, "withdraw", ())) is not None:
        return page
    return _run(
        request,
        meeting_date,
        workflow.withdraw,
        _("The minutes are back in draft."),
        meeting=meeting,
        by=request.user,
    )


@require_POST
def meeting_adopt(request, meeting_date):
    meeting = get_meeting_or_404(request, meeting_date)
    _require(permissions.can_run_workflow(request.user, meeting))
    form = AdoptForm(request.POST, meeting=meeting)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("portal:meeting_detail", meeting_date)
    if (
        page := _unconfirmed(
            request,
            meeting,
            "adopt",
            [
                (_("Adopted at the meeting of"), date_format(form.cleaned_data["at_meeting"].date, "j F Y")),
                (_("Outcome"), dict(form.fields["outcome"].choices)[form.cleaned_data["outcome"]]),
                *([(_("Corrections"), form.cleaned_data["corrections"])] if form.cleaned_data["corrections"] else []),
            ],
        )
    ) is not None:
        return page
    response = _run(
        request,
        meeting_date,
        workflow.adopt,
        _("The minutes are adopted."),
        meeting=meeting,
        by=request.user,
        at_meeting=form.cleaned_data["at_meeting"],
        outcome=form.cleaned_data["outcome"],
        corrections=form.cleaned_data["corrections"],
    )
    _warn_if_record_not_stored(request, meeting)
    return response


def _warn_if_record_not_stored(request, meeting):
    """The official PDF is stored once the adoption commits; when that failed (the error is logged),
    the staff member who adopted is told, and the next request for the PDF or
    `store_official_records` stores it."""
    adopted = Meeting.objects.filter(pk=meeting.pk, status=Meeting.Status.ADOPTED)
    if adopted.exists() and not OfficialRecord.objects.filter(meeting_id=meeting.pk).exists():
        messages.error(
            request,
            _(
                "The official PDF of these minutes could not be stored; the error is logged. It will be "
                "stored on the next request for the PDF, or by the store_official_records command."
            ),
        )


@require_POST
def silence_start(request, meeting_date):
    meeting = get_meeting_or_404(request, meeting_date)
    _require(permissions.can_run_workflow(request.user, meeting))
    form = SilenceForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("portal:meeting_detail", meeting_date)
    if (
        page := _unconfirmed(
            request, meeting, "silence_start", [(_("Silence ends at"), geneva_time(form.cleaned_data["ends_at"]))]
        )
    ) is not None:
        return page
    return _run(
        request,
        meeting_date,
        workflow.start_silence_procedure,
        _("The silence procedure has started."),
        meeting=meeting,
        by=request.user,
        ends_at=form.cleaned_data["ends_at"],
    )


@require_POST
def silence_break(request, meeting_date):
    meeting = get_meeting_or_404(request, meeting_date)
    _require(permissions.may_break_silence(request.user, meeting))
    procedure = SilenceProcedure.objects.running().filter(meeting=meeting).first()
    if procedure is None:
        messages.error(request, _("No silence procedure is running for these minutes."))
        return redirect("portal:meeting_detail", meeting_date)
    form = BreakSilenceForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("portal:meeting_detail", meeting_date)
    if (
        page := _unconfirmed(request, meeting, "silence_break", [(_("Reason"), form.cleaned_data["reason"])])
    ) is not None:
        return page
    return _run(
        request,
        meeting_date,
        workflow.break_silence,
        _("You have broken silence; the ISU is told."),
        procedure=procedure,
        by=request.user,
        reason=form.cleaned_data["reason"],
    )


@require_POST
def meeting_publish(request, meeting_date):
    meeting = get_meeting_or_404(request, meeting_date)
    _require(permissions.can_run_workflow(request.user, meeting))
    if (page := _unconfirmed(request, meeting, "publish", ())) is not None:
        return page
    return _run(
        request,
        meeting_date,
        workflow.publish,
        _("The minutes are published."),
        meeting=meeting,
        by=request.user,
    )


def _when(day, starts_at, ends_at, zone=None):
    text = date_format(day, "l j F Y")
    if starts_at:
        text += f", {starts_at:%H:%M}" + (f"–{ends_at:%H:%M}" if ends_at else "")
    return f"{text} ({zone})" if zone else text


def meeting_announce(request):
    """ISU staff announce a meeting to come (a workflow step: confirmed before it is done)."""
    _require(permissions.can_announce(request.user))
    form = AnnounceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        summary = [
            (_("When"), _when(data["date"], data["starts_at"], data["ends_at"], data["time_zone"])),
            (_("Venue"), data["venue"] or "—"),
            (_("Remote link"), data["remote_link"] or "—"),
            (_("Presidency"), str(data["presidency"])),
        ]
        if (page := _unconfirmed(request, None, "announce", summary)) is not None:
            return page
        try:
            meeting = workflow.announce(
                request.user,
                date=data["date"],
                presidency=data["presidency"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                time_zone=data["time_zone"],
                venue=data["venue"],
                remote_link=data["remote_link"],
            )
        except workflow.TransitionError as exc:
            form.add_error(None, str(exc))
        except IntegrityError:  # another meeting took the date meanwhile
            form.add_error("date", _("There is already a meeting on this date."))
        else:
            messages.success(request, _("The meeting is announced: it is public, and the coordinators are invited."))
            return redirect(meeting)
    return render(request, "meetings/meeting_announce.html", {"form": form})


@require_POST
def meeting_postpone(request, meeting_date):
    meeting = get_meeting_or_404(request, meeting_date)
    _require(permissions.can_run_workflow(request.user, meeting))
    form = PostponeForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("portal:meeting_detail", meeting_date)
    data = form.cleaned_data
    summary = [(_("New date and time"), _when(data["date"], data["starts_at"], data["ends_at"], meeting.time_zone))]
    if (page := _unconfirmed(request, meeting, "postpone", summary)) is not None:
        return page
    try:
        workflow.postpone(
            meeting, request.user, date=data["date"], starts_at=data["starts_at"], ends_at=data["ends_at"]
        )
    except workflow.TransitionError as exc:
        messages.error(request, str(exc))
        return redirect("portal:meeting_detail", meeting_date)
    except IntegrityError:  # another meeting took the date meanwhile
        messages.error(request, _("There is already a meeting on this date."))
        return redirect("portal:meeting_detail", meeting_date)
    messages.success(request, _("The meeting is postponed; the coordinators are told."))
    return redirect(meeting)


@require_POST
def meeting_cancel(request, meeting_date):
    meeting = get_meeting_or_404(request, meeting_date)
    _require(permissions.can_run_workflow(request.user, meeting))
    form = CancelForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("portal:meeting_detail", meeting_date)
    reason = form.cleaned_data["reason"]
    if (page := _unconfirmed(request, meeting, "cancel", [(_("Reason"), reason)] if reason else ())) is not None:
        return page
    return _run(
        request,
        meeting_date,
        workflow.cancel,
        _("The meeting is cancelled; the coordinators are told."),
        meeting=meeting,
        by=request.user,
        reason=reason,
    )


@require_POST
def meeting_start_drafting(request, meeting_date):
    meeting = get_meeting_or_404(request, meeting_date)
    _require(permissions.can_run_workflow(request.user, meeting))
    if (page := _unconfirmed(request, meeting, "start_drafting", ())) is not None:
        return page
    try:
        workflow.start_drafting(meeting, request.user)
    except workflow.TransitionError as exc:
        messages.error(request, str(exc))
        return redirect("portal:meeting_detail", meeting_date)
    messages.success(request, _("The minutes start from the provisional agenda."))
    return redirect("meetings:drafting_meeting", meeting_date)
