import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("web", "0016_form_year_newest"),
    ]

    operations = [
        migrations.CreateModel(
            name="FormView",
            fields=[
                (
                    "form",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="view",
                        serialize=False,
                        to="web.evaluationform",
                        verbose_name="自评表",
                    ),
                ),
                ("key", models.BinaryField(max_length=20, verbose_name="摘要")),
                ("official", models.BinaryField(verbose_name="官方格式（审核视图）")),
                ("panel", models.BinaryField(verbose_name="计算结果")),
            ],
            options={
                "verbose_name": "表单页面",
                "verbose_name_plural": "表单页面",
            },
        ),
    ]
