// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * gias_codes.c — pure functions over GIAS codes: the phase group the
 * similar-schools finder compares within, which establishment type groups
 * are state-funded or independent, and the snapshot date in an extract's
 * file name. The code lists come from the May 2025 extract; gias.h
 * documents the mapping. Thread-safe: no state.
 */
#include "app/schools/gias.h"

#include <string.h>

#include "core/str.h"
#include "core/util.h"

/* EstablishmentTypeGroup codes. */
enum {
	GROUP_INDEPENDENT = 3,
	GROUP_LA_MAINTAINED = 4,
	GROUP_SPECIAL = 5,
	GROUP_ACADEMIES = 10,
	GROUP_FREE_SCHOOLS = 11,
};

/* TypeOfEstablishment codes of special schools. */
static const int special_types[] = {
	7,  /* Community special school */
	8,  /* Non-maintained special school */
	10, /* Other independent special school */
	12, /* Foundation special school */
	32, /* Special post 16 institution */
	33, /* Academy special sponsor led */
	36, /* Free schools special */
	44, /* Academy special converter */
};

/* TypeOfEstablishment codes of pupil referral units and alternative provision. */
static const int pru_ap_types[] = {
	14, /* Pupil referral unit */
	38, /* Free schools alternative provision */
	42, /* Academy alternative provision converter */
	43, /* Academy alternative provision sponsor led */
};

/* Names by enum gias_phase_group. */
static const char *const phase_group_names[GIAS_PHASE__MAX] = {
	[GIAS_PHASE_NONE] = "none",
	[GIAS_PHASE_NURSERY] = "nursery",
	[GIAS_PHASE_PRIMARY] = "primary",
	[GIAS_PHASE_SECONDARY] = "secondary",
	[GIAS_PHASE_ALL_THROUGH] = "all_through",
	[GIAS_PHASE_SIXTEEN_PLUS] = "sixteen_plus",
	[GIAS_PHASE_SPECIAL] = "special",
	[GIAS_PHASE_PRU_AP] = "pru_ap",
};

/* A code of 1 to 4 digits as a number ("07" is 7); -1 for anything else. */
static int code_number(const char *s)
{
	if (!s || !*s || strlen(s) > 4)
		return -1;
	int v = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

static bool in_list(int v, const int *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (list[i] == v)
			return true;
	return false;
}

enum gias_phase_group gias_phase_group(const char *type_code, const char *phase_code)
{
	int type = code_number(type_code);
	if (in_list(type, special_types, ARRAY_LEN(special_types)))
		return GIAS_PHASE_SPECIAL;
	if (in_list(type, pru_ap_types, ARRAY_LEN(pru_ap_types)))
		return GIAS_PHASE_PRU_AP;
	switch (code_number(phase_code)) {
	case 1:
		return GIAS_PHASE_NURSERY;
	case 2: /* Primary */
	case 3: /* Middle deemed primary */
		return GIAS_PHASE_PRIMARY;
	case 4: /* Secondary */
	case 5: /* Middle deemed secondary */
		return GIAS_PHASE_SECONDARY;
	case 6:
		return GIAS_PHASE_SIXTEEN_PLUS;
	case 7:
		return GIAS_PHASE_ALL_THROUGH;
	default:
		return GIAS_PHASE_NONE;
	}
}

const char *gias_phase_group_name(enum gias_phase_group g)
{
	if ((unsigned)g >= GIAS_PHASE__MAX)
		return phase_group_names[GIAS_PHASE_NONE];
	return phase_group_names[g];
}

int gias_phase_group_parse(const char *name, enum gias_phase_group *out)
{
	for (int g = 0; g < GIAS_PHASE__MAX; g++) {
		if (str_eq(name, phase_group_names[g])) {
			*out = (enum gias_phase_group)g;
			return 0;
		}
	}
	return ERR_INVALID;
}

bool gias_is_state_funded(const char *type_group_code)
{
	switch (code_number(type_group_code)) {
	case GROUP_LA_MAINTAINED:
	case GROUP_SPECIAL:
	case GROUP_ACADEMIES:
	case GROUP_FREE_SCHOOLS:
		return true;
	default:
		return false;
	}
}

bool gias_is_independent(const char *type_group_code)
{
	return code_number(type_group_code) == GROUP_INDEPENDENT;
}

bool gias_is_in_scope(const char *type_group_code)
{
	return gias_is_state_funded(type_group_code) || gias_is_independent(type_group_code);
}

/* True when s[0..8) are digits forming a real date YYYYMMDD (years 1990–2999). */
static bool yyyymmdd(const char *s)
{
	for (int i = 0; i < 8; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int m = (s[4] - '0') * 10 + (s[5] - '0');
	int d = (s[6] - '0') * 10 + (s[7] - '0');
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1990 || y > 2999 || m < 1 || m > 12 || d < 1)
		return false;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= (m == 2 && leap ? 29 : days[m - 1]);
}

int gias_snapshot_date(const char *path, char iso[11])
{
	iso[0] = '\0';
	if (!path)
		return ERR_INVALID;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	for (const char *p = base; *p;) {
		if (*p < '0' || *p > '9') {
			p++;
			continue;
		}
		const char *q = p;
		while (*q >= '0' && *q <= '9')
			q++;
		if (q - p == 8 && yyyymmdd(p)) {
			memcpy(iso, p, 4);
			iso[4] = '-';
			memcpy(iso + 5, p + 4, 2);
			iso[7] = '-';
			memcpy(iso + 8, p + 6, 2);
			iso[10] = '\0';
			return 0;
		}
		p = q;
	}
	return ERR_INVALID;
}
