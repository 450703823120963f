from django.db import models
from django.utils.translation import gettext_lazy as _


class TopicQuerySet(models.QuerySet):
    def active(self) -> "TopicQuerySet":
        return self.filter(is_active=True)


class Topic(models.Model):
    """One theme of the shared taxonomy: people follow topics and every mechanism tags its content with them."""

    slug = models.SlugField(_("identificador"), max_length=80, unique=True)
    name = models.CharField(_("nombre"), max_length=150)
    description = models.TextField(_("descripción"), blank=True)
    order = models.PositiveSmallIntegerField(_("orden"), default=0)
    is_active = models.BooleanField(_("activo"), default=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        verbose_name = _("tema")
        verbose_name_plural = _("temas")
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.name
