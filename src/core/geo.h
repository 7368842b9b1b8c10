// SPDX-License-Identifier: AGPL-3.0-or-later
/* geo.h — great-circle distance between two WGS84 points. */
#ifndef TANDEM_CORE_GEO_H
#define TANDEM_CORE_GEO_H

/* Mean Earth radius used for every distance Tandem shows, in km. */
#define GEO_EARTH_RADIUS_KM 6371.0

/* Haversine distance in km between two points given in degrees. */
double geo_km(double lat1, double lon1, double lat2, double lon2);

#endif
