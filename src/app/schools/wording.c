// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * wording.c — the register's names in plain English for the directory, its
 * filters and school profiles: "(England/Wales) Urban major conurbation"
 * reads "Urban: major city", "Middle deemed primary" reads "Middle school
 * (counted as primary)", "Academies" reads "Academy". Names that read well
 * already are kept as they are; the codes never change.
 */
#include <stdio.h>
#include <string.h>

#include "app/schools/directory.h"
#include "core/str.h"

/* A register name and what a reader is shown instead. */
struct plain {
	const char *name;  /* as the register writes it */
	const char *plain; /* plain English; NULL: say nothing */
};

static const struct plain phase_words[] = {
	{"Not applicable", NULL},
	{"Middle deemed primary", "Middle school (counted as primary)"},
	{"Middle deemed secondary", "Middle school (counted as secondary)"},
	{"16 plus", "16 plus (sixth form or college)"},
	{NULL, NULL},
};

static const struct plain type_words[] = {
	{"Academy converter", "Converter academy"},
	{"Academy sponsor led", "Sponsored academy"},
	{"Academy special converter", "Special converter academy"},
	{"Academy special sponsor led", "Special sponsored academy"},
	{"Academy alternative provision converter", "Alternative provision converter academy"},
	{"Academy alternative provision sponsor led", "Alternative provision sponsored academy"},
	{"Academy 16-19 converter", "16 to 19 converter academy"},
	{"Academy 16 to 19 sponsor led", "16 to 19 sponsored academy"},
	{"Other independent school", "Independent school"},
	{"Other independent special school", "Independent special school"},
	{"Welsh establishment", "School in Wales"},
	{"Further education", "Further education college"},
	{"Higher education institutions", "University or higher education"},
	{"Free schools", "Free school"},
	{"Free schools special", "Special free school"},
	{"Free schools alternative provision", "Alternative provision free school"},
	{"Free schools 16 to 19", "16 to 19 free school"},
	{"Sixth form centres", "Sixth form centre"},
	{"Studio schools", "Studio school"},
	{"Secure units", "Secure unit"},
	{"Offshore schools", "Offshore school"},
	{"British schools overseas", "British school overseas"},
	{NULL, NULL},
};

static const struct plain type_group_words[] = {
	{"Local authority maintained schools", "Maintained by the local authority"},
	{"Academies", "Academy"},
	{"Free Schools", "Free school"},
	{"Independent schools", "Independent school"},
	{"Special schools", "Special school"},
	{"Welsh schools", "School in Wales"},
	{"Colleges", "College"},
	{"Universities", "University"},
	{"Other types", "Other kind of establishment"},
	{"Online provider", "Online provider"},
	{NULL, NULL},
};

/* Matched after the "(England/Wales) " prefix is taken off. */
static const struct plain urban_words[] = {
	{"Urban major conurbation", "Urban: major city"},
	{"Urban minor conurbation", "Urban: smaller city"},
	{"Urban city and town", "Urban: city or town"},
	{"Urban city and town in a sparse setting", "Urban: town in a sparsely populated area"},
	{"Rural town and fringe", "Rural: small town or edge of town"},
	{"Rural town and fringe in a sparse setting", "Rural: small town in a sparsely populated area"},
	{"Rural village", "Rural: village"},
	{"Rural village in a sparse setting", "Rural: village in a sparsely populated area"},
	{"Rural hamlet and isolated dwellings", "Rural: hamlet or isolated homes"},
	{"Rural hamlet and isolated dwellings in a sparse setting",
	 "Rural: hamlet or isolated homes in a sparsely populated area"},
	{NULL, NULL},
};

static const struct plain region_words[] = {
	{"Wales (pseudo)", "Wales"},
	{"Not Applicable", "Outside the regions of England and Wales"},
	{NULL, NULL},
};

static const struct plain religious_words[] = {
	{"Does not apply", "None"},
	{NULL, NULL},
};

static const struct plain gender_words[] = {
	{"Mixed", "Mixed (boys and girls)"},
	{"Boys", "Boys only"},
	{"Girls", "Girls only"},
	{NULL, NULL},
};

static const struct plain *const tables[DIR_WORDING__MAX] = {
	[DIR_WORDING_PHASE] = phase_words,
	[DIR_WORDING_TYPE] = type_words,
	[DIR_WORDING_TYPE_GROUP] = type_group_words,
	[DIR_WORDING_URBAN_RURAL] = urban_words,
	[DIR_WORDING_REGION] = region_words,
	[DIR_WORDING_RELIGIOUS] = religious_words,
	[DIR_WORDING_GENDER] = gender_words,
};

const char *dir_plain(enum dir_wording w, const char *name, char *buf, size_t bufsz)
{
	if (!name || (unsigned)w >= DIR_WORDING__MAX)
		return name;
	const char *key = name;
	if (w == DIR_WORDING_URBAN_RURAL) {
		/* "(England/Wales) Urban …", "(Scotland) Large Urban Area", "(pseudo) Channel Islands/Isle of Man" */
		if (str_starts_with(name, "(England/Wales) "))
			key = name + strlen("(England/Wales) ");
		else if (str_starts_with(name, "(pseudo) "))
			key = name + strlen("(pseudo) ");
		else if (name[0] == '(' && strchr(name, ')') && buf && bufsz) {
			const char *close = strchr(name, ')');
			const char *rest = close[1] == ' ' ? close + 2 : close + 1;
			snprintf(buf, bufsz, "%.*s: %s", (int)(close - name - 1), name + 1, rest);
			return buf;
		}
	}
	for (const struct plain *p = tables[w]; p->name; p++)
		if (strcmp(p->name, key) == 0)
			return p->plain;
	if (key != name && buf && bufsz) {
		snprintf(buf, bufsz, "%s", key);
		return buf;
	}
	return name;
}
