from django.db import migrations, models
from django.db.models import F


def existing_comments_were_seen(apps, schema_editor):
    """Comments made before the digest existed were seen on the review page: the first digest
    tells staff only about comments made after this migration."""
    ReviewComment = apps.get_model("meetings", "ReviewComment")
    ReviewComment.objects.filter(staff_told_at__isnull=True).update(staff_told_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0005_record_supersession"),
    ]

    operations = [
        migrations.AddField(
            model_name="reviewcomment",
            name="paragraph",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="reviewcomment",
            name="staff_told_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddConstraint(
            model_name="reviewcomment",
            constraint=models.CheckConstraint(
                condition=models.Q(("paragraph__isnull", True), ("paragraph__gte", 1), _connector="OR"),
                name="review_comment_paragraph_from_1",
            ),
        ),
        migrations.RunPython(existing_comments_were_seen, migrations.RunPython.noop),
    ]
