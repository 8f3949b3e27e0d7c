from django.apps import AppConfig


class BulletinsConfig(AppConfig):
    name = "bulletins"
    verbose_name = "简报档案"
    default_auto_field = "django.db.models.BigAutoField"
