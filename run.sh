#!/usr/bin/env bash
# One entry point for a fresh Debian machine. Each command installs what it needs first:
#   ./run.sh build   the Debian libraries WeasyPrint uses, a virtualenv in .venv,
#                    then the website's downloads (every PDF, manifest.json, index.html)
#                    into dist/
#   ./run.sh test    the same plus the test tools (pytest, chromium, veraPDF from
#                    ../shared/tools/verapdf: without it the tests do not run), then the suite
# Anything after the command goes to printjournal (build) or pytest (test).
set -euo pipefail
cd "$(dirname "$0")"
here=$(pwd)

need_debs() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing Debian packages: ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# WeasyPrint's libraries; harfbuzz-subset makes font subsetting fast and byte-reproducible.
RUNTIME_DEBS=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1)
# chromium: the downloads page is opened in a real browser (tests/test_site_browser.py);
# fonts-dejavu-core: a system font the tests prove never reaches a PDF (tests/test_fonts.py).
TEST_DEBS=(poppler-utils chromium fonts-dejavu-core)

venv() {
  local extras=$1 stamp
  if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv 2>/dev/null || { need_debs python3-venv; python3 -m venv .venv; }
  fi
  stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)-$extras"
  if [ ! -f "$stamp" ]; then
    .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[$extras]" 2>&1 \
      | grep -v "^WARNING: Location" >&2 || true
    .venv/bin/python -c "import printjournal, weasyprint" && touch "$stamp"
  fi
}

# The print edition's press profile (FOGRA39, offset on coated paper), made once with
# ArgyllCMS from the FOGRA39L characterisation data of icc-profiles-free (zlib licence);
# printjournal looks for it at .venv/share/printjournal/ unless [print] profile says.
# Ghostscript and poppler-utils: the preflight's ink coverage and render checks.
PRESS_DEBS=(ghostscript poppler-utils argyll icc-profiles-free)
press_profile() {
  local dir=.venv/share/printjournal tmp
  need_debs "${PRESS_DEBS[@]}"
  [ -s "$dir/FOGRA39L_coated.icc" ] && return 0
  mkdir -p "$dir"
  tmp=$(mktemp -d)
  cp /usr/share/color/icc/FOGRA39L.ti3 "$tmp/"
  (cd "$tmp" && colprof -ql -kr -l300 -D "FOGRA39L coated (printjournal, ArgyllCMS)" \
     -C "Made from FOGRA39L data (icc-profiles-free, zlib licence)" \
     -O FOGRA39L_coated.icc FOGRA39L >/dev/null)
  mv "$tmp/FOGRA39L_coated.icc" "$dir/" && rm -rf "$tmp"
}

case "${1:-}" in
  build)
    shift
    need_debs "${RUNTIME_DEBS[@]}"
    venv test
    press_profile
    exec .venv/bin/printjournal build "$@"
    ;;
  test)
    shift
    need_debs "${RUNTIME_DEBS[@]}" "${TEST_DEBS[@]}"
    venv test
    press_profile
    # veraPDF proves the PDFs accessible: no veraPDF, no test run (the tests fail without it
    # too, unless PRINTJOURNAL_ALLOW_SKIP=verapdf says to skip it on purpose: see conftest.py)
    if [ -z "${PRINTJOURNAL_VERAPDF:-}" ]; then
      setup=../shared/tools/verapdf/setup.sh
      [ -f "$setup" ] || { echo "veraPDF: $setup not found (or set PRINTJOURNAL_VERAPDF" \
                                "to a vera command)" >&2; exit 1; }
      PRINTJOURNAL_VERAPDF=$(bash "$setup" | tail -n1) && [ -x "$PRINTJOURNAL_VERAPDF" ] \
        || { echo "veraPDF could not be set up (by $setup)" >&2; exit 1; }
      export PRINTJOURNAL_VERAPDF
    fi
    .venv/bin/ruff check src tests bench
    # one pytest process per core (pytest-xdist), each test file kept in one process so its
    # module fixtures render once; "-n 0" after the command runs it in a single process
    exec .venv/bin/python -m pytest -n auto --dist loadfile "$@"
    ;;
  *)
    echo "usage: ./run.sh build|test [ARGS...]" >&2
    exit 2
    ;;
esac
