# Sourced by bin/test: browser tests drive Debian's Chromium (Playwright cannot download one here).
ensure_chromium() {
  local chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
  if [ -x "$chromium" ]; then
    export CHROMIUM_PATH="$chromium"
    return 0
  fi
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Chromium for the browser tests (apt-get install chromium) ..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    export CHROMIUM_PATH=/usr/bin/chromium
    return 0
  fi
  echo "Chromium is needed for the browser tests: install it (Debian: apt-get install chromium)" >&2
  echo "or set CHROMIUM_PATH to a Chromium binary." >&2
  exit 1
}
