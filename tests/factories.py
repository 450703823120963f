import factory
from factory.django import DjangoModelFactory

from participants.models import Participant, User


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", "demo-sermig-2026")

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save(update_fields=["password"])


class ParticipantFactory(DjangoModelFactory):
    class Meta:
        model = Participant

    user = None
    birth_year = 1990
    nationality = "HT"
    region = "CL-RM"
    commune = "Santiago"
    languages = factory.LazyFunction(lambda: ["ht", "es"])
