// SPDX-License-Identifier: AGPL-3.0-or-later
/* geo.c — haversine distance on a sphere of the mean Earth radius. */
#include "core/geo.h"

#include <math.h>

double geo_km(double lat1, double lon1, double lat2, double lon2)
{
	const double rad = M_PI / 180.0;
	double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
	double a = sin(dlat / 2) * sin(dlat / 2) +
		   cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);
	if (a > 1)
		a = 1;
	return 2 * GEO_EARTH_RADIUS_KM * asin(sqrt(a));
}
