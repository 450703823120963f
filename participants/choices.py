"""Translatable choice lists for the participant attributes.

Questions on sex, gender and orientation follow INE's SGOS standard (2022): sex registered at birth and
gender identity are separate questions, non-binary people are counted, and every question can be declined.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

PREFER_NOT_TO_SAY = "prefer_not_to_say"


class GenderIdentity(models.TextChoices):
    WOMAN = "woman", _("Mujer")
    MAN = "man", _("Hombre")
    TRANS_WOMAN = "trans_woman", _("Mujer trans")
    TRANS_MAN = "trans_man", _("Hombre trans")
    NON_BINARY = "non_binary", _("No binaria")
    OTHER = "other", _("Otra identidad")
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, _("Prefiero no decirlo")


class SexAtBirth(models.TextChoices):
    FEMALE = "female", _("Femenino")
    MALE = "male", _("Masculino")
    INTERSEX = "intersex", _("Intersexual")
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, _("Prefiero no decirlo")


class SexualOrientation(models.TextChoices):
    HETEROSEXUAL = "heterosexual", _("Heterosexual")
    GAY_LESBIAN = "gay_lesbian", _("Gay o lesbiana")
    BISEXUAL = "bisexual", _("Bisexual")
    OTHER = "other", _("Otra orientación")
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, _("Prefiero no decirlo")


class AgeBand(models.TextChoices):
    UNDER_18 = "0-17", _("Menos de 18 años")
    FROM_18 = "18-29", _("De 18 a 29 años")
    FROM_30 = "30-44", _("De 30 a 44 años")
    FROM_45 = "45-59", _("De 45 a 59 años")
    FROM_60 = "60+", _("60 años o más")
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, _("Prefiero no decirlo")

    @classmethod
    def for_age(cls, age: int) -> "AgeBand":
        for band, upper in ((cls.UNDER_18, 17), (cls.FROM_18, 29), (cls.FROM_30, 44), (cls.FROM_45, 59)):
            if age <= upper:
                return band
        return cls.FROM_60


class MigrationStatus(models.TextChoices):
    CHILEAN = "chilean", _("Chilena o chileno de nacimiento")
    NATURALISED = "naturalised", _("Chilena o chileno por nacionalización")
    PERMANENT = "permanent_resident", _("Residencia definitiva")
    TEMPORARY = "temporary_resident", _("Residencia temporal")
    IN_PROCESS = "application_in_process", _("Solicitud de residencia en trámite")
    ASYLUM_SEEKER = "asylum_seeker", _("Solicitante de refugio")
    REFUGEE = "refugee", _("Refugiada o refugiado reconocido")
    IRREGULAR = "irregular", _("Sin permiso de residencia")
    OTHER = "other", _("Otra situación")
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, _("Prefiero no decirlo")


class Region(models.TextChoices):
    """Chile's 16 regions, keyed by their ISO 3166-2:CL codes, north to south."""

    ARICA = "CL-AP", _("Arica y Parinacota")
    TARAPACA = "CL-TA", _("Tarapacá")
    ANTOFAGASTA = "CL-AN", _("Antofagasta")
    ATACAMA = "CL-AT", _("Atacama")
    COQUIMBO = "CL-CO", _("Coquimbo")
    VALPARAISO = "CL-VS", _("Valparaíso")
    METROPOLITANA = "CL-RM", _("Metropolitana de Santiago")
    OHIGGINS = "CL-LI", _("Libertador General Bernardo O'Higgins")
    MAULE = "CL-ML", _("Maule")
    NUBLE = "CL-NB", _("Ñuble")
    BIOBIO = "CL-BI", _("Biobío")
    ARAUCANIA = "CL-AR", _("La Araucanía")
    LOS_RIOS = "CL-LR", _("Los Ríos")
    LOS_LAGOS = "CL-LL", _("Los Lagos")
    AYSEN = "CL-AI", _("Aysén del General Carlos Ibáñez del Campo")
    MAGALLANES = "CL-MA", _("Magallanes y de la Antártica Chilena")
    ABROAD = "abroad", _("Vivo fuera de Chile")
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, _("Prefiero no decirlo")


class IndigenousPeople(models.TextChoices):
    """Peoples recognised by Law 19.253 and its amendments, and the Afro-descendant tribal people (Law 21.151)."""

    NONE = "none", _("No pertenezco a un pueblo indígena o tribal")
    AYMARA = "aymara", _("Aymara")
    QUECHUA = "quechua", _("Quechua")
    LICKANANTAY = "lickanantay", _("Lickanantay (atacameño)")
    COLLA = "colla", _("Colla")
    DIAGUITA = "diaguita", _("Diaguita")
    CHANGO = "chango", _("Chango")
    RAPA_NUI = "rapa_nui", _("Rapa Nui")
    MAPUCHE = "mapuche", _("Mapuche")
    KAWESQAR = "kawesqar", _("Kawésqar")
    YAGAN = "yagan", _("Yagán")
    SELKNAM = "selknam", _("Selk'nam")
    AFRO_DESCENDANT = "afro_descendant", _("Pueblo tribal afrodescendiente chileno")
    OTHER = "other", _("Otro pueblo indígena o tribal")
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, _("Prefiero no decirlo")


class Disability(models.TextChoices):
    YES = "yes", _("Sí, tengo una discapacidad")
    NO = "no", _("No")
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, _("Prefiero no decirlo")


class Language(models.TextChoices):
    SPANISH = "es", _("Español")
    HAITIAN_CREOLE = "ht", _("Creole haitiano")
    FRENCH = "fr", _("Francés")
    ENGLISH = "en", _("Inglés")
    PORTUGUESE = "pt", _("Portugués")
    QUECHUA = "qu", _("Quechua")
    AYMARA = "ay", _("Aymara")
    MAPUDUNGUN = "arn", _("Mapudungún")
    CHINESE = "zh", _("Chino")
    ARABIC = "ar", _("Árabe")
    OTHER = "other", _("Otro idioma")


class ConsentChannel(models.TextChoices):
    ONLINE = "online", _("En línea, por la propia persona")
    STAFF = "staff", _("Registrado por el equipo (papel o presencial)")


class OrganizationCategory(models.IntegerChoices):
    """The COSOC's three categories (SERMIG's registry): an organisation is in exactly one, and nominates and
    votes within it."""

    MIGRANT_LED = 1, _("Organizaciones sin fines de lucro integradas mayoritariamente por personas migrantes")
    NGO = 2, _("ONG que trabajan con comunidades migrantes")
    ACADEMIC = 3, _("Universidades, institutos o centros de estudio sobre migración")


class OrganizationStatus(models.TextChoices):
    APPLIED = "applied", _("Postulación recibida")
    CHANGES_REQUESTED = "changes_requested", _("Se pidieron cambios")
    ACCREDITED = "accredited", _("Acreditada")
    REJECTED = "rejected", _("Rechazada")


class LegalForm(models.TextChoices):
    """The legal forms of the registry's organisations (Law 20.500 and the Civil Code)."""

    ASSOCIATION = "association", _("Asociación o corporación sin fines de lucro")
    FOUNDATION = "foundation", _("Fundación")
    COMMUNITY = "community", _("Organización comunitaria o funcional")
    UNIVERSITY = "university", _("Universidad o instituto de educación superior")
    RESEARCH_CENTRE = "research_centre", _("Centro de estudios o de investigación")
    FOREIGN = "foreign", _("Organización registrada en el extranjero")
    OTHER = "other", _("Otra forma jurídica")
