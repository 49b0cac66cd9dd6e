"""Straight-line distances on the earth, scalar and vectorised.

Straight-line (great-circle, "fågelväg") distances understate real travel; every place that
shows one says so.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

__all__ = ["EARTH_RADIUS_KM", "haversine_km", "haversine_km_many"]

#: Mean earth radius (IUGG), km.
EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points.

    Parameters
    ----------
    lat1, lon1, lat2, lon2 : float
        WGS84 degrees.

    Returns
    -------
    float
        Distance in km, >= 0.
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def haversine_km_many(
    lat: float,
    lon: float,
    lats: npt.ArrayLike,
    lons: npt.ArrayLike,
) -> npt.NDArray[np.float64]:
    """Great-circle distances from one point to many.

    Parameters
    ----------
    lat, lon : float
        The origin, WGS84 degrees.
    lats, lons : array_like of shape (n,)
        Destinations, WGS84 degrees; NaN gives NaN.

    Returns
    -------
    ndarray of shape (n,)
        Distances in km.
    """
    la = np.radians(np.asarray(lats, dtype=np.float64))
    lo = np.radians(np.asarray(lons, dtype=np.float64))
    p1 = math.radians(lat)
    a = (
        np.sin((la - p1) / 2) ** 2
        + math.cos(p1) * np.cos(la) * np.sin((lo - math.radians(lon)) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))
