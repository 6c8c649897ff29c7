/* test_extract_people.c: people found in English and Russian news text — the seed's and a fixture's people, organisations, outlets and places that are not people, mentions joined, bounds and hostile bytes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/common.h"
#include "extract/extract_internal.h"
#include "tests/unit/support/test_support.h"

static struct extractor *x;

static int
setup(void **state)
{
	char	*cause = NULL;

	x = extractor_new(&cause);
	if (x == NULL)
		fprintf(stderr, "extractor_new: %s\n", cause);
	return x == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	extractor_free(x);
	return 0;
}

/* Extracts a story file: its first line the title, the rest the body. */
static void
extract_file(const char *text, const char *lang, struct extract_result *r)
{
	char	*copy = xstrdup(text), *body;

	if ((body = strchr(copy, '\n')) != NULL)
		*body++ = '\0';
	extract_story(x, lang, copy, body, 2025, r);
	free(copy);
}

/* The person called name, or NULL. */
static const struct extract_person *
person(const struct extract_result *r, const char *name)
{
	size_t	i;

	for (i = 0; i < r->npeople; i++)
		if (strcmp(r->people[i].name, name) == 0)
			return &r->people[i];
	return NULL;
}

static int
has_variant(const struct extract_person *p, const char *v)
{
	size_t	i;

	for (i = 0; i < p->nvariants; i++)
		if (strcmp(p->variants[i], v) == 0)
			return 1;
	return 0;
}

static void
assert_person(const struct extract_result *r, const char *name)
{
	if (person(r, name) == NULL)
		fail_msg("no person %s", name);
}

/* No person's name or spelling holds s. */
static void
assert_no_person_with(const struct extract_result *r, const char *s)
{
	size_t	i, k;

	for (i = 0; i < r->npeople; i++) {
		if (strstr(r->people[i].name, s) != NULL)
			fail_msg("%s is a person", r->people[i].name);
		for (k = 0; k < r->people[i].nvariants; k++)
			if (strstr(r->people[i].variants[k], s) != NULL)
				fail_msg("%s is a person's spelling",
				    r->people[i].variants[k]);
	}
}

/* The traps of the seed article, which its own fixture repeats. */
static const char *const not_people[] = {
	"Hamas", "Izvestia", "Donbass", "Doha", "Qatar", "Washington", "I24",
	"Asharq", "Awsat", "Wall Street", "Journal", "New York", "Times",
	"Israel", "Gaza", "Gas", "Moscow", "Яндекс", "Переводчик",
	"Переведено", NULL
};

static void
check_traps(const struct extract_result *r)
{
	const struct extract_person	*p;
	size_t				 i;

	for (i = 0; not_people[i] != NULL; i++)
		assert_no_person_with(r, not_people[i]);
	assert_null(person(r, "Maxim"));
	p = person(r, "Maxim Kharkin");
	assert_non_null(p);
	assert_true(has_variant(p, "Harkin"));
	assert_string_equal(p->variants[0], "Maxim Kharkin");
	assert_string_equal(p->key, "maksim|harkin");
}

static void
test_seed_finds_every_person(void **state)
{
	static const char *const want[] = {
		"Maxim Kharkin", "Alexander Trufanov", "Maria Zakharova",
		"Benjamin Netanyahu", "Musa Abu Marzouk", "Hazem Qassem",
		"Abdel Latif al-Kanua", "Steve Witkoff", "Adam Boiler",
		"Mohammed Al—Masri", "Trump", NULL
	};
	struct extract_result	 r;
	char			*path, *text, *cause = NULL;
	size_t			 len, i;

	if ((path = test_shared_path("seed/000_0bcda3ea3e606858.txt")) == NULL)
		return;
	text = util_read_file(path, TEST_FIXTURE_MAX, &len, &cause);
	assert_non_null(text);
	extract_file(text, "en", &r);
	for (i = 0; want[i] != NULL; i++)
		assert_person(&r, want[i]);
	assert_int_equal(r.npeople, i);
	check_traps(&r);
	assert_true(has_variant(person(&r, "Steve Witkoff"), "Witkoff"));
	extract_result_clear(&r);
	free(text);
	free(path);
}

static void
test_fixture_finds_every_person(void **state)
{
	static const char *const want[] = {
		"Maxim Kharkin", "Maria Zakharova", "Abdel Latif al-Kanua",
		"Mohammed Al—Masri", "Steve Witkoff", "Benjamin Netanyahu",
		"Trump", NULL
	};
	struct extract_result	 r;
	char			*text;
	size_t			 len, i;

	text = test_fixture("extract/people-en.txt", &len);
	extract_file(text, "en", &r);
	for (i = 0; want[i] != NULL; i++)
		assert_person(&r, want[i]);
	assert_int_equal(r.npeople, i);
	check_traps(&r);
	extract_result_clear(&r);
	free(text);
}

static void
test_kharkin_variants_merge(void **state)
{
	const struct extract_person	*p;
	struct extract_result		 r;
	char				*text;
	size_t				 len;

	text = test_fixture("extract/people-en.txt", &len);
	extract_file(text, "en", &r);
	p = person(&r, "Maxim Kharkin");
	assert_non_null(p);
	/* "Maxim Kharkin", "Harkin", "Maxim's", "Harkin's". */
	assert_int_equal(p->mentions, 4);
	assert_int_equal(p->nvariants, 3);
	assert_true(has_variant(p, "Maxim"));
	assert_false(has_variant(p, "Harkin's"));
	assert_string_equal(p->evidence, "The Palestinian Hamas movement has "
	    "told Izvestia that the next stage of the Gas deal will take up the "
	    "case of Maxim Kharkin, a native of Donbass held in Gaza since "
	    "October 2023.");
	/* People come in the order of their first mention. */
	assert_ptr_equal(p, &r.people[0]);
	extract_result_clear(&r);
	free(text);
}

static void
test_hamas_is_not_a_person(void **state)
{
	struct extract_result	r;

	extract_story(x, "en", "Hamas says talks stalled",
	    "Hamas said on Monday the talks had stalled. Hamas insists on a "
	    "full ceasefire, Hamas official Basem Naim told Reuters.", 2025, &r);
	assert_no_person_with(&r, "Hamas");
	assert_no_person_with(&r, "Reuters");
	assert_person(&r, "Basem Naim");
	assert_int_equal(r.npeople, 1);
	extract_result_clear(&r);
}

static void
test_clintons_stay_distinct(void **state)
{
	struct extract_result	r;

	extract_story(x, "en", NULL, "Former president Bill Clinton and "
	    "Hillary Clinton arrived together. Clinton said nothing.", 2025,
	    &r);
	assert_person(&r, "Bill Clinton");
	assert_person(&r, "Hillary Clinton");
	assert_int_equal(r.npeople, 2);
	/* The lone surname joins the one named last before it. */
	assert_true(has_variant(person(&r, "Hillary Clinton"), "Clinton"));
	extract_result_clear(&r);
}

static void
test_russian_cues_find_people(void **state)
{
	const struct extract_person	*p;
	struct extract_result		 r;
	char				*text;
	size_t				 len;

	text = test_fixture("extract/people-ru.txt", &len);
	extract_file(text, "ru", &r);
	assert_person(&r, "Мария Захарова");
	assert_person(&r, "Дмитрий Песков");
	assert_person(&r, "Александр Труфанов");
	assert_person(&r, "Биньямин Нетаньяху");
	assert_int_equal(r.npeople, 6);
	p = person(&r, "Стив Уиткофф");
	assert_non_null(p);
	assert_true(has_variant(p, "Уиткоффа"));
	assert_string_equal(p->key, "steve|vitkof");
	assert_true(has_variant(person(&r, "Мария Захарова"), "Захарова"));
	assert_no_person_with(&r, "МИД");
	assert_no_person_with(&r, "России");
	assert_no_person_with(&r, "Кремл");
	assert_no_person_with(&r, "ХАМАС");
	assert_no_person_with(&r, "Израил");
	assert_no_person_with(&r, "Яндекс");
	extract_result_clear(&r);
	free(text);
}

static void
test_russian_names_come_out_nominative(void **state)
{
	const struct extract_person	*p;
	struct extract_result		 r;
	char				*text;
	size_t				 len;

	text = test_fixture("extract/people-ru.txt", &len);
	extract_file(text, "ru", &r);
	/* Written only as "Максима Харкина": named in the nominative,
	 * spelled as written. */
	p = person(&r, "Максим Харкин");
	assert_non_null(p);
	assert_int_equal(p->nvariants, 1);
	assert_string_equal(p->variants[0], "Максима Харкина");
	assert_string_equal(p->key, "maksim|harkin");
	assert_ptr_equal(p, &r.people[0]);
	extract_result_clear(&r);
	extract_story(x, "ru", NULL, "По словам Марии Захаровой, Москва "
	    "ждет ответа.", 2025, &r);
	assert_person(&r, "Мария Захарова");
	extract_result_clear(&r);
	free(text);
}

/* The mention of text s in t, or NULL. */
static const struct extract_mention *
mention(const struct extract_text *t, const char *s)
{
	size_t	i;

	for (i = 0; i < t->nmentions; i++)
		if (t->mentions[i].len == strlen(s) && memcmp(t->text +
		    t->mentions[i].offset, s, t->mentions[i].len) == 0)
			return &t->mentions[i];
	return NULL;
}

static void
test_mentions_name_organisations_outlets_and_places(void **state)
{
	const struct extract_mention	*m;
	struct extract_people		*p;
	struct text_stemmer		*st;
	struct extract_result		 r;
	struct extract_text		 t;
	char				*text, *cause = NULL;
	size_t				 len, i;

	text = test_fixture("extract/people-en.txt", &len);
	memset(&t, 0, sizeof t);
	memset(&r, 0, sizeof r);
	t.lang = "en";
	t.text = text;
	t.len = len;
	text_sentences(text, len, &t.sentences, &t.nsentences);
	text_tokenize(text, len, &t.tokens);
	st = text_stemmer_new();
	p = extract_people_new(extractor_names(x), st, &cause);
	assert_non_null(p);
	extract_people_find(p, x, &t, &r);
	assert_non_null(m = mention(&t, "Izvestia"));
	assert_int_equal(m->kind, EXTRACT_SPAN_ORGANISATION);
	assert_non_null(m = mention(&t, "Hamas"));
	assert_int_equal(m->kind, EXTRACT_SPAN_ORGANISATION);
	assert_non_null(m = mention(&t, "the Times of Israel"));
	assert_int_equal(m->kind, EXTRACT_SPAN_ORGANISATION);
	assert_non_null(m = mention(&t, "the Asharq Al-Awsat"));
	assert_int_equal(m->kind, EXTRACT_SPAN_ORGANISATION);
	assert_non_null(m = mention(&t, "Doha"));
	assert_int_equal(m->kind, EXTRACT_SPAN_PLACE);
	assert_non_null(m = mention(&t, "Qatar"));
	assert_int_equal(m->kind, EXTRACT_SPAN_PLACE);
	assert_non_null(m = mention(&t, "Harkin"));
	assert_int_equal(m->kind, EXTRACT_SPAN_PERSON);
	assert_string_equal(r.people[m->person].name, "Maxim Kharkin");
	assert_non_null(m = mention(&t, "Witkoff"));
	assert_string_equal(r.people[m->person].name, "Steve Witkoff");
	for (i = 1; i < t.nmentions; i++)
		assert_true(t.mentions[i - 1].offset <= t.mentions[i].offset);
	extract_result_clear(&r);
	extract_people_free(p);
	text_stemmer_free(st);
	free(t.mentions);
	free(t.sentences);
	text_tokens_clear(&t.tokens);
	free(text);
}

static void
test_language_without_cues_finds_nobody(void **state)
{
	struct extract_result	r;

	assert_false(extractor_has_language(x, "fr"));
	extract_story(x, "fr", NULL, "Emmanuel Macron a dit non.", 2025, &r);
	assert_int_equal(r.npeople, 0);
	extract_result_clear(&r);
}

static void
test_given_name_alone_is_no_person(void **state)
{
	struct extract_result	r;

	extract_story(x, "en", NULL, "Officials said Maxim's health was "
	    "stable.", 2025, &r);
	assert_int_equal(r.npeople, 0);
	extract_result_clear(&r);
	/* Unless a title says so. */
	extract_story(x, "en", NULL, "Her younger brother Iair was freed.",
	    2025, &r);
	assert_person(&r, "Iair");
	extract_result_clear(&r);
}

/* The person whose spellings hold v, or NULL. */
static const struct extract_person *
person_with(const struct extract_result *r, const char *v)
{
	size_t	i;

	for (i = 0; i < r->npeople; i++)
		if (has_variant(&r->people[i], v))
			return &r->people[i];
	return NULL;
}

static void
test_regions_agencies_and_laws_are_not_people(void **state)
{
	struct extract_result	r;

	extract_story(x, "en", NULL, "The bill passed the Senate on Tuesday. "
	    "Three Republicans, Thom Tillis of North Carolina and Susan "
	    "Collins of Maine, voted against it. On Thursday the House "
	    "approved it, and Democrats said the Affordable Care Act credits "
	    "must be extended. The head of Roscosmos, Dmitry Bakanov, met "
	    "officials in Houston, Roscosmos said.", 2025, &r);
	assert_person(&r, "Thom Tillis");
	assert_person(&r, "Susan Collins");
	assert_person(&r, "Dmitry Bakanov");
	assert_int_equal(r.npeople, 3);
	extract_result_clear(&r);
	extract_story(x, "ru", NULL, "Обмен прошел на границе с Белоруссией "
	    "накануне встречи на Аляске. Военные сейчас находятся на "
	    "территории Белоруссии. Генеральный директор Роскосмоса Дмитрий "
	    "Баканов наблюдал за стартом.", 2025, &r);
	assert_person(&r, "Дмитрий Баканов");
	assert_int_equal(r.npeople, 1);
	extract_result_clear(&r);
}

static void
test_initials_and_generational_suffixes_are_part_of_a_name(void **state)
{
	const struct extract_person	*p;
	struct extract_result		 r;

	extract_story(x, "en", NULL, "The bill passed late at night. Vice "
	    "President JD Vance broke a tie in the Senate. The president's "
	    "eldest son, Donald Trump Jr., wrote on X that Democrats had "
	    "caved, and Donald Trump agreed.", 2025, &r);
	assert_person(&r, "JD Vance");
	assert_non_null(p = person(&r, "Donald Trump Jr."));
	assert_string_equal(p->key, "donald|trump-jr");
	assert_non_null(p = person(&r, "Donald Trump"));
	assert_string_equal(p->key, "donald|trump");
	assert_int_equal(r.npeople, 3);
	extract_result_clear(&r);
}

static void
test_surname_alone_by_its_ending_or_beside_a_person(void **state)
{
	struct extract_result	r;

	/* No list knows every Medinsky: the ending tells. */
	extract_story(x, "en", NULL, "The talks ended early. Medinsky had "
	    "said after the meeting that Moscow would hand over bodies. Kyiv "
	    "proposed a meeting between Zelenskyy and Putin.", 2025, &r);
	assert_person(&r, "Medinsky");
	assert_person(&r, "Zelenskyy");
	assert_person(&r, "Putin");
	assert_int_equal(r.npeople, 3);
	extract_result_clear(&r);
	/* "и" joins a surname to a person, whatever its ending. */
	extract_story(x, "ru", NULL, "Обмен прошел вчера. Встреча Путина и "
	    "Зеленского возможна лишь как итог договоренностей.", 2025, &r);
	assert_non_null(person_with(&r, "Зеленского"));
	assert_string_equal(person_with(&r, "Зеленского")->name, "Зеленский");
	assert_non_null(person_with(&r, "Путина"));
	assert_int_equal(r.npeople, 2);
	extract_result_clear(&r);
}

static void
test_given_name_that_is_also_a_place_or_word_starts_a_name(void **state)
{
	struct extract_result	r;

	extract_story(x, "en", NULL, "The strikes went on. Defense Minister "
	    "Israel Katz said Israel would respond. Senator Rand Paul of "
	    "Kentucky voted no.", 2025, &r);
	assert_person(&r, "Israel Katz");
	assert_person(&r, "Rand Paul");
	assert_int_equal(r.npeople, 2);
	extract_result_clear(&r);
	/* Кит is Keith, not Китай (whose endings make it кит). */
	extract_story(x, "ru", NULL, "Спецпосланник США по Украине Кит "
	    "Келлог заявил, что у Москвы было достаточно времени. Китай "
	    "промолчал.", 2025, &r);
	assert_person(&r, "Кит Келлог");
	assert_int_equal(r.npeople, 1);
	extract_result_clear(&r);
}

static void
test_russian_transcriptions_of_foreign_names_are_found(void **state)
{
	struct extract_result	r;

	extract_story(x, "ru", NULL, "В экипаж вошли астронавты NASA Энн "
	    "Макклейн и Николь Айерс, а также японский астронавт Кимия Юи. "
	    "Прибытие смены позволит вернуть на Землю астронавтов Бутча "
	    "Уилмора и Суниту Уильямс. Глава делегации, секретарь СНБО "
	    "Рустем Умеров, предложил встречу.", 2025, &r);
	assert_person(&r, "Энн Макклейн");
	assert_person(&r, "Николь Айерс");
	assert_person(&r, "Кимия Юи");
	assert_person(&r, "Бутч Уилмор");
	assert_person(&r, "Сунита Уильямс");
	assert_person(&r, "Рустем Умеров");
	assert_int_equal(r.npeople, 6);
	extract_result_clear(&r);
}

static void
test_given_name_alone_takes_its_kinsmans_surname(void **state)
{
	const struct extract_person	*p;
	struct extract_result		 r;

	extract_story(x, "en", NULL, "Also freed were the twin brothers Gali "
	    "and Ziv Berman, and Eitan Horn, whose brother Iair was released "
	    "in February. Netanyahu's son Yair did not comment.", 2025, &r);
	assert_non_null(p = person(&r, "Iair"));
	assert_string_equal(p->key, "iair|horn");
	assert_non_null(p = person(&r, "Gali"));
	assert_string_equal(p->key, "gali|berman");
	assert_non_null(p = person(&r, "Yair"));
	assert_string_equal(p->key, "iair|netaniau");
	assert_person(&r, "Ziv Berman");
	assert_person(&r, "Eitan Horn");
	assert_int_equal(r.npeople, 6);
	extract_result_clear(&r);
}

static void
test_people_and_variants_are_bounded(void **state)
{
	struct extract_result	 r;
	char			*text, *p;
	size_t			 i, cap = 400 * 64;

	/* 400 distinct people, each with a given name and an age. */
	text = p = xmalloc(cap);
	for (i = 0; i < 400; i++)
		p += snprintf(p, cap - (p - text), "John Q%c%c%cson, %zu, "
		    "said so. ", 'a' + (int)(i % 26), 'a' + (int)(i / 26 % 26),
		    'b' + (int)(i % 7), 20 + i % 50);
	extract_story(x, "en", NULL, text, 2025, &r);
	assert_true(r.npeople > 0);
	assert_true(r.npeople <= EXTRACT_MAX_PEOPLE);
	extract_result_clear(&r);
	/* One person spelled 30 ways. */
	p = text;
	p += snprintf(p, cap, "Maxim Kharkin was freed. ");
	for (i = 0; i < 30; i++)
		p += snprintf(p, cap - (p - text), "Harkin%.*s said so. ",
		    (int)i, "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn");
	extract_story(x, "en", NULL, text, 2025, &r);
	assert_int_equal(r.npeople, 1);
	assert_true(r.people[0].nvariants <= EXTRACT_MAX_VARIANTS);
	assert_int_equal(r.people[0].mentions, 31);
	extract_result_clear(&r);
	free(text);
}

static void
test_hostile_bytes_never_crash(void **state)
{
	struct extract_result	 r;
	unsigned char		*buf;
	uint32_t		 seed = 12345;
	size_t			 i, round, n = 8192;

	buf = xmalloc(n + 1);
	for (round = 0; round < 40; round++) {
		for (i = 0; i < n; i++) {
			seed = seed * 1103515245 + 12345;
			/* Mostly capital letters, spaces and UTF-8 lead
			 * bytes, so names and broken sequences abound. */
			switch ((seed >> 16) % 8) {
			case 0:
				buf[i] = ' ';
				break;
			case 1:
				buf[i] = 0xd0 + (seed >> 8) % 2;
				break;
			case 2:
				buf[i] = 0x80 + (seed >> 8) % 64;
				break;
			case 3:
				buf[i] = "-,.'\"\n"[(seed >> 8) % 6];
				break;
			default:
				buf[i] = (i % 5 == 0 ? 'A' : 'a') + (seed >> 8) % 26;
			}
		}
		buf[n] = '\0';
		extract_story(x, round % 2 ? "ru" : "en", (char *)buf + n - 80,
		    (char *)buf, 2025, &r);
		for (i = 0; i < r.npeople; i++) {
			assert_true(strlen(r.people[i].name) <= EXTRACT_MAX_NAME * 2);
			assert_non_null(r.people[i].key);
		}
		extract_result_clear(&r);
	}
	/* One capitalised run longer than any name. */
	for (i = 0; i < n; i++)
		buf[i] = i % 6 == 5 ? ' ' : (i % 6 == 0 ? 'K' : 'o');
	buf[n] = '\0';
	extract_story(x, "en", NULL, (char *)buf, 2025, &r);
	assert_int_equal(r.npeople, 0);
	extract_result_clear(&r);
	extract_story(x, "en", NULL, NULL, 2025, &r);
	assert_int_equal(r.npeople, 0);
	extract_result_clear(&r);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_finds_every_person),
		cmocka_unit_test(test_fixture_finds_every_person),
		cmocka_unit_test(test_kharkin_variants_merge),
		cmocka_unit_test(test_hamas_is_not_a_person),
		cmocka_unit_test(test_clintons_stay_distinct),
		cmocka_unit_test(test_russian_cues_find_people),
		cmocka_unit_test(test_russian_names_come_out_nominative),
		cmocka_unit_test(test_mentions_name_organisations_outlets_and_places),
		cmocka_unit_test(test_language_without_cues_finds_nobody),
		cmocka_unit_test(test_given_name_alone_is_no_person),
		cmocka_unit_test(test_regions_agencies_and_laws_are_not_people),
		cmocka_unit_test(
		    test_initials_and_generational_suffixes_are_part_of_a_name),
		cmocka_unit_test(
		    test_surname_alone_by_its_ending_or_beside_a_person),
		cmocka_unit_test(
		    test_given_name_that_is_also_a_place_or_word_starts_a_name),
		cmocka_unit_test(
		    test_russian_transcriptions_of_foreign_names_are_found),
		cmocka_unit_test(
		    test_given_name_alone_takes_its_kinsmans_surname),
		cmocka_unit_test(test_people_and_variants_are_bounded),
		cmocka_unit_test(test_hostile_bytes_never_crash),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
