"""The search engine layer: providers, the index's writes, PostgreSQL text search and the SQLite fallback.

A test provider over ``engine.Topic`` (public = active) stands in for a mechanism: the engine imports no app.
"""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from engine import search
from engine.models import Mechanism, SearchDocument, SearchIndexVersion, Topic
from engine.search import services
from engine.search.selectors import search_documents, search_results
from engine.search.services import VERSION_CACHE_KEY, index_version
from engine.search.text import START, STOP
from tests.helpers import TopicSearch, topic

pytestmark = pytest.mark.django_db


def found(query: str, language: str = "es", **filters) -> list[tuple[str, str]]:
    """(title, language) of each result, in order."""
    return [(d.title, d.language) for d in search_documents(query=query, language=language, **filters)]


def rows_of(obj) -> list[SearchDocument]:
    return list(
        SearchDocument.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        ).order_by("language")
    )


# --- Writes ---------------------------------------------------------------------------------------------


def test_one_row_per_language_with_spanish_where_a_translation_is_missing(topics):
    made = topic("Salud de las personas migrantes", en="Health of migrants")
    rows = {row.language: row for row in rows_of(made)}
    assert set(rows) == {"es", "ht", "en"}
    assert rows["en"].title == "Health of migrants"
    assert rows["ht"].title == "Salud de las personas migrantes"  # no Kreyòl yet: the Spanish text
    assert (rows["es"].url, rows["ht"].url, rows["en"].url) == (
        f"/temas/{made.slug}/",
        f"/ht/temas/{made.slug}/",
        f"/en/temas/{made.slug}/",
    )
    assert {row.mechanism for row in rows.values()} == {Mechanism.INFORMATION}


def test_editing_a_translation_rewrites_its_row_and_never_adds_one(topics):
    made = topic("Vivienda", en="Housing")
    first_ids = {row.language: row.pk for row in rows_of(made)}
    made.name_en = "Homes and rent"
    made.save()
    search.reindex(made)
    search.index(made)  # twice in a row is harmless too

    rows = {row.language: row for row in rows_of(made)}
    assert {language: row.pk for language, row in rows.items()} == first_ids
    assert rows["en"].title == "Homes and rent"
    assert SearchDocument.objects.count() == 3
    assert found("rent", "en") == [("Homes and rent", "en")]
    assert found("housing", "en") == []


def test_an_object_outside_the_public_queryset_never_gets_a_row(topics):
    hidden = topic("Borrador interno sobre migración", active=False)
    assert search.index(hidden) == 0
    assert rows_of(hidden) == []
    assert found("migración") == []


def test_reindex_removes_an_object_that_stopped_being_public(topics):
    made = topic("Trabajo decente y migración")
    assert found("trabajo")
    Topic.objects.filter(pk=made.pk).update(is_active=False)
    search.reindex(made)
    assert rows_of(made) == []
    assert found("trabajo") == []


def test_remove_deletes_the_rows_without_asking_the_provider(topics):
    made = topic("Educación")
    assert search.remove(made) == 3
    assert rows_of(made) == []


@pytest.fixture
def watched_topics():
    """``search.watch(Topic)`` for one test, leaving the receivers as they were (an app may watch topics)."""
    uid = f"engine.search:{Topic._meta.label}"
    was_watched = [signal.disconnect(sender=Topic, dispatch_uid=uid) for signal in (post_save, post_delete)]
    search.watch(Topic)
    yield
    if not any(was_watched):
        for signal in (post_save, post_delete):
            signal.disconnect(sender=Topic, dispatch_uid=uid)


def test_watched_models_are_reindexed_on_save_and_delete(topics, watched_topics):
    made = topic("Niñez migrante", index=False)
    assert len(rows_of(made)) == 3  # the save indexed it
    made.is_active = False
    made.save()
    assert rows_of(made) == []
    made.is_active = True
    made.save()
    pk = made.pk
    made.delete()
    assert not SearchDocument.objects.filter(object_id=pk).exists()


def test_rebuild_writes_every_public_object_and_drops_the_rest(topics):
    kept = [topic(f"Tema público {n}", index=False) for n in range(3)]
    hidden = topic("Tema oculto", active=False, index=False)
    stale = topic("Tema que se ocultó")
    Topic.objects.filter(pk=stale.pk).update(is_active=False)
    SearchDocument.objects.create(  # a row whose provider is gone
        content_type=ContentType.objects.get_for_model(SearchDocument),
        object_id=1,
        language="es",
        mechanism=Mechanism.COSOC,
        kind="retired",
        title="Tema retirado",
        url="/retirado/",
    )

    result = search.rebuild(batch_size=2)

    per_object = len({row.language for row in rows_of(kept[0])})
    topic_rows = sum(len(rows_of(obj)) for obj in kept)
    assert topic_rows == 3 * per_object == 9
    assert rows_of(hidden) == [] and rows_of(stale) == []
    assert not SearchDocument.objects.filter(kind="retired").exists()
    assert set(SearchDocument.objects.values_list("kind", flat=True)) <= {p.kind for p in search.providers()}
    assert (result.documents, result.removed) == (9, 4)  # the stale topic's three rows and the retired one


def test_a_provider_must_name_its_kind_and_a_mechanism():
    class NoKind(TopicSearch):
        kind = ""

    class NoMechanism(TopicSearch):
        mechanism = "gossip"

    with pytest.raises(ValueError):
        search.register(NoKind())
    with pytest.raises(ValueError):
        search.register(NoMechanism())


# --- PostgreSQL text search -----------------------------------------------------------------------------


def topic_in(language: str, text: str):
    """A topic whose text in ``language`` is ``text`` (Spanish is required: another text when not Spanish)."""
    return topic(text) if language == "es" else topic("Otro tema", **{language: text})


@pytest.mark.parametrize(
    ("language", "stored", "query"),
    [
        ("es", "La migración en Chile", "migracion"),
        ("es", "La migracion en Chile", "MIGRACIÓN"),
        ("ht", "Enfòmasyon an kreyòl", "kreyol"),
        ("en", "Café with the community", "cafe"),
    ],
)
def test_accents_and_case_never_matter(topics, postgres, language, stored, query):
    topic_in(language, stored)
    assert found(query, language) == [(stored, language)]


@pytest.mark.parametrize(
    ("language", "stored", "query"),
    [("es", "Derechos de las personas refugiadas", "refugiada"), ("en", "Rights of refugees", "refugee")],
)
def test_spanish_and_english_are_stemmed(topics, postgres, language, stored, query):
    topic_in(language, stored)
    assert found(query, language) == [(stored, language)]


def test_kreyol_matches_whole_words_only(topics, postgres):
    """PostgreSQL has no Kreyòl stemmer: the simple configuration folds accents and nothing else."""
    topic("x", ht="Timoun ki imigran")
    assert found("imigran", "ht") == [("Timoun ki imigran", "ht")]
    assert found("imig", "ht") == []


def test_a_title_match_ranks_above_body_matches(topics, postgres):
    topic("Diálogo regional", body="Salud, salud y más salud en cada región.")
    topic("Salud primaria")
    assert [title for title, _language in found("salud")] == ["Salud primaria", "Diálogo regional"]


def test_websearch_syntax_phrases_exclusions_and_or(topics, postgres):
    topic("Oficina de atención regional")
    topic("Atención en oficina central")
    assert found('"oficina de atención"') == [("Oficina de atención regional", "es")]
    assert found("atención -central") == [("Oficina de atención regional", "es")]
    assert {t for t, _l in found("regional or central")} == {
        "Oficina de atención regional",
        "Atención en oficina central",
    }


def test_reader_language_first_then_spanish_and_each_object_once(topics, postgres):
    topic("Salud y migración", ht="Sante ak migrasyon")  # "salud" only in its Spanish text
    topic("Salud", ht="Salud nan kominote a")  # "salud" in both: its Kreyòl row stands for it
    assert found("salud", "ht") == [("Salud nan kominote a", "ht"), ("Salud y migración", "es")]


def test_an_object_found_only_in_spanish_is_shown_in_spanish_and_links_to_the_readers_page(topics):
    made = topic("Refugio", en="Shelter")
    assert found("refugio", "en") == [("Refugio", "es")]
    [result] = search_results(search_documents(query="refugio", language="en"), query="refugio")
    assert (result.language, result.url) == ("es", f"/en/temas/{made.slug}/")


def test_snippets_mark_the_words_found_and_keep_the_accents(topics, postgres):
    topic(
        "Migración",
        body="Un texto largo. " * 30 + "Las personas refugiadas piden intérpretes. " + "Fin. " * 30,
    )
    [result] = search_results(search_documents(query="refugiado interpretes", language="es"), query="x")
    assert result.title == "Migración"
    assert f"{START}refugiadas{STOP}" in result.snippet
    assert f"{START}intérpretes{STOP}" in result.snippet
    assert len(result.snippet) < 600


def test_a_query_of_stop_words_finds_nothing_and_raises_nothing(topics, postgres):
    topic("De la migración")
    assert found("de la") == []


# --- The fallback (SQLite; any database with fallback=True) ----------------------------------------------


def folded_found(query: str, language: str = "es") -> list[tuple[str, str]]:
    rows = search_documents(query=query, language=language, fallback=True)
    return [(d.title, d.language) for d in rows]


def test_fallback_ignores_accents_and_case_in_every_language(topics):
    topic("La MIGRACIÓN en Chile", ht="Migrasyon an kreyòl", en="Café and community")
    assert folded_found("migracion") == [("La MIGRACIÓN en Chile", "es")]
    assert folded_found("KREYOL", "ht") == [("Migrasyon an kreyòl", "ht")]
    assert folded_found("cafe", "en") == [("Café and community", "en")]


def test_fallback_needs_every_word(topics):
    topic("Salud primaria en regiones")
    assert folded_found("salud regiones") == [("Salud primaria en regiones", "es")]
    assert folded_found("salud vivienda") == []
    assert folded_found("-- !!") == []


def test_fallback_shows_the_reader_language_first_and_each_object_once(topics):
    topic("Migración y salud", ht="Migrasyon ak sante")
    topic("Migración laboral", ht="Travay")
    assert folded_found("migra", "ht") == [("Migrasyon ak sante", "ht"), ("Migración laboral", "es")]


def test_fallback_marks_the_words_in_python(topics):
    topic("Intérpretes", body="Pedimos intérpretes de creole en cada oficina.")
    [result] = search_results(
        search_documents(query="interpretes", language="es", fallback=True), query="interpretes"
    )
    assert result.title == f"{START}Intérpretes{STOP}"
    assert f"{START}intérpretes{STOP}" in result.snippet


# --- Queries -------------------------------------------------------------------------------------------


def test_filters_by_mechanism_and_type(topics):
    topic("Convivencia")
    assert found("convivencia", mechanism=Mechanism.INFORMATION)
    assert found("convivencia", mechanism=Mechanism.COSOC) == []
    assert found("convivencia", kind="test-topic")
    assert found("convivencia", kind="consultation") == []


# --- The index version, under which the search page's content is cached --------------------------------


def test_a_write_drops_the_cached_version_at_once_and_shares_the_new_one_after_commit(
    topics, django_capture_on_commit_callbacks
):
    before = index_version()  # now copied in the cache
    with django_capture_on_commit_callbacks(execute=False) as after_commit:
        topic("Trabajo")
    assert cache.get(VERSION_CACHE_KEY) is None  # readers go to the database until the commit
    for callback in after_commit:
        callback()
    assert cache.get(VERSION_CACHE_KEY) == SearchIndexVersion.objects.get().token != before


def test_an_index_write_survives_a_cache_that_is_down(topics, monkeypatch, caplog):
    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "delete", down)
    made = topic("Salud")
    assert len(rows_of(made)) == 3
    assert "could not be updated" in caplog.text


def test_another_process_write_is_seen_within_the_local_version_lifetime(topics, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(services.time, "monotonic", lambda: clock[0])
    seen = index_version()
    # Another process's write: a new token in the database and, after its commit, in the shared cache.
    SearchIndexVersion.objects.update_or_create(pk=1, defaults={"token": "written-elsewhere"})
    cache.set(VERSION_CACHE_KEY, "written-elsewhere")
    clock[0] += services.LOCAL_VERSION_SECONDS - 0.5
    assert index_version() == seen  # this process still uses the token it read
    clock[0] += 1
    assert index_version() == "written-elsewhere"
