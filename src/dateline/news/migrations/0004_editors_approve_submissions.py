"""Editors approve what Contributors submit: the root page's approval tasks include them."""

from django.db import migrations


def let_editors_approve(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    editors = Group.objects.get(name="Editors")
    root_page = Page.objects.filter(depth=1).first()
    workflow_page = WorkflowPage.objects.filter(page=root_page).first()
    if workflow_page is None:
        task_type, _ = ContentType.objects.get_or_create(
            app_label="wagtailcore", model="groupapprovaltask"
        )
        task = GroupApprovalTask.objects.create(
            name="Editors approval", content_type=task_type, active=True
        )
        workflow = Workflow.objects.create(name="Newsroom approval", active=True)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        WorkflowPage.objects.create(workflow=workflow, page=root_page)
    task_ids = WorkflowTask.objects.filter(
        workflow=WorkflowPage.objects.get(page=root_page).workflow
    ).values_list("task_id", flat=True)
    for task in GroupApprovalTask.objects.filter(pk__in=task_ids):
        task.groups.add(editors)


def stop_editors_approving(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    editors = Group.objects.filter(name="Editors").first()
    workflow_page = WorkflowPage.objects.filter(page=Page.objects.filter(depth=1).first()).first()
    if editors is None or workflow_page is None:
        return
    task_ids = WorkflowTask.objects.filter(workflow=workflow_page.workflow).values_list(
        "task_id", flat=True
    )
    for task in GroupApprovalTask.objects.filter(pk__in=task_ids):
        task.groups.remove(editors)


class Migration(migrations.Migration):
    dependencies = [("news", "0003_body_block_labels")]

    operations = [migrations.RunPython(let_editors_approve, stop_editors_approving)]
