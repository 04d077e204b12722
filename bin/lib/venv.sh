# Sourced by bin/run and bin/test: make .venv match the lock file, then use it.
# Reinstalls only when the lock file changed since the last install.

find_python() {
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  echo "Python 3.11 is required (python3.11 or python3 on PATH)." >&2
  return 1
}

ensure_venv() {
  local lock="${1:-requirements-dev.lock}"
  local python
  python=$(find_python) || exit 1
  if [ ! -x .venv/bin/python ]; then
    echo "Creating .venv with $python ..."
    "$python" -m venv .venv
  fi
  local want have
  want=$(sha256sum "$lock" | cut -d' ' -f1)
  have=$(cat .venv/.installed-lock 2>/dev/null || true)
  if [ "$want" != "$have" ]; then
    echo "Installing dependencies from $lock ..."
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r "$lock"
    echo "$want" > .venv/.installed-lock
  fi
  export PATH="$PWD/.venv/bin:$PATH"
  export PYTHONUNBUFFERED=1
}
