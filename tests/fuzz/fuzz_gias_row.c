// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * fuzz_gias_row.c — libFuzzer target for one row of the GIAS register
 * import (src/app/schools/gias.c, gias_csv.c): the input follows a fixed
 * header line that has every column the reader wants, in the May 2025
 * order with the head-teacher columns among them, and the whole is read
 * from a memory file as `tandem import-gias` reads an extract. The input is
 * also given, as a string, to the value parsers (dates, counts, a file
 * name's snapshot date). Nothing may crash, leak or trip a sanitizer, and
 * every school and rejection must keep gias.h's promises (UTF-8 text, real
 * dates, numbers in range, a reason for each rejection). replay.c runs the
 * saved corpus (tests/fuzz/corpus/gias_row/) as a unit test.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gias_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char header[] =
	"URN,LA (code),LA (name),EstablishmentNumber,EstablishmentName,"
	"TypeOfEstablishment (code),TypeOfEstablishment (name),"
	"EstablishmentTypeGroup (code),EstablishmentTypeGroup (name),"
	"EstablishmentStatus (code),EstablishmentStatus (name),OpenDate,CloseDate,"
	"PhaseOfEducation (code),PhaseOfEducation (name),StatutoryLowAge,StatutoryHighAge,"
	"Boarders (code),Boarders (name),OfficialSixthForm (code),OfficialSixthForm (name),"
	"Gender (code),Gender (name),ReligiousCharacter (code),ReligiousCharacter (name),"
	"AdmissionsPolicy (code),AdmissionsPolicy (name),SchoolCapacity,NumberOfPupils,"
	"FSM,PercentageFSM,Trusts (code),Trusts (name),Federations (code),Federations (name),"
	"Street,Locality,Address3,Town,County (name),Postcode,SchoolWebsite,TelephoneNum,"
	"HeadTitle (name),HeadFirstName,HeadLastName,GOR (code),GOR (name),"
	"DistrictAdministrative (code),DistrictAdministrative (name),"
	"UrbanRural (code),UrbanRural (name),Easting,Northing,SENStat,SENNoStat,"
	"OfstedRating (name),OfstedLastInsp\r\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gias_input in;
	gias_input_open(&in, header, sizeof(header) - 1, (const char *)data, size);
	gias_input_read_register(in.path);
	gias_input_close(&in);

	char *s = malloc(size + 1);
	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	gias_input_values(s);
	free(s);
	return 0;
}
