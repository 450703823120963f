"""Translatable choice lists for the participant attributes.

Questions on sex, gender and orientation follow INE's SGOS standard (2022): sex registered at birth and
gender identity are separate questions, non-binary people are counted, and every question can be declined.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

PREFER_NOT_TO_SAY = "prefer_not_to_say"


class GenderIdentity(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    TRANS_WOMAN = "trans_woman", _("Trans woman")
    TRANS_MAN = "trans_man", _("Trans man")
    NON_BINARY = "non_binary", _("Non-binary")
    OTHER = "other", _("Another identity")
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, _("Prefer not to say")


class SexAtBirth(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    INTERSEX = "intersex", _("Intersex")
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, _("Prefer not to say")


class SexualOrientation(models.TextChoices):
    HETEROSEXUAL = "heterosexual", _("Heterosexual")
    GAY_LESBIAN = "gay_lesbian", _("Gay or lesbian")
    BISEXUAL = "bisexual", _("Bisexual")
    OTHER = "other", _("Another orientation")
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, _("Prefer not to say")


class AgeBand(models.TextChoices):
    UNDER_18 = "0-17", _("Under 18")
    FROM_18 = "18-29", _("18 to 29")
    FROM_30 = "30-44", _("30 to 44")
    FROM_45 = "45-59", _("45 to 59")
    FROM_60 = "60+", _("60 or older")
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, _("Prefer not to say")

    @classmethod
    def for_age(cls, age: int) -> "AgeBand":
        for band, upper in ((cls.UNDER_18, 17), (cls.FROM_18, 29), (cls.FROM_30, 44), (cls.FROM_45, 59)):
            if age <= upper:
                return band
        return cls.FROM_60


class MigrationStatus(models.TextChoices):
    CHILEAN = "chilean", _("Chilean by birth")
    NATURALISED = "naturalised", _("Chilean by naturalisation")
    PERMANENT = "permanent_resident", _("Permanent resident")
    TEMPORARY = "temporary_resident", _("Temporary resident")
    IN_PROCESS = "application_in_process", _("Residence application in process")
    ASYLUM_SEEKER = "asylum_seeker", _("Asylum seeker")
    REFUGEE = "refugee", _("Recognised refugee")
    IRREGULAR = "irregular", _("Without a residence permit")
    OTHER = "other", _("Other situation")
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, _("Prefer not to say")


class Region(models.TextChoices):
    """Chile's 16 regions, keyed by their ISO 3166-2:CL codes, north to south."""

    ARICA = "CL-AP", _("Arica y Parinacota")
    TARAPACA = "CL-TA", _("Tarapacá")
    ANTOFAGASTA = "CL-AN", _("Antofagasta")
    ATACAMA = "CL-AT", _("Atacama")
    COQUIMBO = "CL-CO", _("Coquimbo")
    VALPARAISO = "CL-VS", _("Valparaíso")
    METROPOLITANA = "CL-RM", _("Santiago Metropolitan Region")
    OHIGGINS = "CL-LI", _("Libertador General Bernardo O'Higgins")
    MAULE = "CL-ML", _("Maule")
    NUBLE = "CL-NB", _("Ñuble")
    BIOBIO = "CL-BI", _("Biobío")
    ARAUCANIA = "CL-AR", _("La Araucanía")
    LOS_RIOS = "CL-LR", _("Los Ríos")
    LOS_LAGOS = "CL-LL", _("Los Lagos")
    AYSEN = "CL-AI", _("Aysén del General Carlos Ibáñez del Campo")
    MAGALLANES = "CL-MA", _("Magallanes y de la Antártica Chilena")
    ABROAD = "abroad", _("I live outside Chile")
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, _("Prefer not to say")


class IndigenousPeople(models.TextChoices):
    """Peoples recognised by Law 19.253 and its amendments, and the Afro-descendant tribal people (Law 21.151)."""

    NONE = "none", _("I do not belong to an indigenous or tribal people")
    AYMARA = "aymara", _("Aymara")
    QUECHUA = "quechua", _("Quechua")
    LICKANANTAY = "lickanantay", _("Lickanantay (Atacameño)")
    COLLA = "colla", _("Colla")
    DIAGUITA = "diaguita", _("Diaguita")
    CHANGO = "chango", _("Chango")
    RAPA_NUI = "rapa_nui", _("Rapa Nui")
    MAPUCHE = "mapuche", _("Mapuche")
    KAWESQAR = "kawesqar", _("Kawésqar")
    YAGAN = "yagan", _("Yagán")
    SELKNAM = "selknam", _("Selk'nam")
    AFRO_DESCENDANT = "afro_descendant", _("Chilean Afro-descendant tribal people")
    OTHER = "other", _("Another indigenous or tribal people")
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, _("Prefer not to say")


class Disability(models.TextChoices):
    YES = "yes", _("Yes, I have a disability")
    NO = "no", _("No")
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, _("Prefer not to say")


class Language(models.TextChoices):
    SPANISH = "es", _("Spanish")
    HAITIAN_CREOLE = "ht", _("Haitian Creole")
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")
    PORTUGUESE = "pt", _("Portuguese")
    QUECHUA = "qu", _("Quechua")
    AYMARA = "ay", _("Aymara")
    MAPUDUNGUN = "arn", _("Mapudungun")
    CHINESE = "zh", _("Chinese")
    ARABIC = "ar", _("Arabic")
    OTHER = "other", _("Another language")


class ConsentChannel(models.TextChoices):
    ONLINE = "online", _("Online, by the person")
    STAFF = "staff", _("Recorded by staff (paper or in person)")
