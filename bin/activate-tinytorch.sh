# Activate the TinyTorch environment. Source it from the repository root:
#
#     source bin/activate-tinytorch.sh
#
# The first time, it creates .venv and installs the project in editable mode
# with its dev extra (tests, notebooks, linters). Later it only activates.
# Set TINYTORCH_PYTHON to choose the interpreter that creates .venv.

_tinytorch_setup() {
    local root python venv stamp
    root="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)" || return 1
    venv="$root/.venv"
    stamp="$venv/.tinytorch-installed"

    if [ ! -f "$stamp" ]; then
        python="${TINYTORCH_PYTHON:-python3}"
        if ! command -v "$python" >/dev/null 2>&1; then
            echo "activate-tinytorch: $python not found; install Python 3.10 or newer," \
                "or set TINYTORCH_PYTHON to its path" >&2
            return 1
        fi
        if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then
            echo "activate-tinytorch: $("$python" --version 2>&1) is too old;" \
                "TinyTorch needs Python 3.10 or newer (set TINYTORCH_PYTHON)" >&2
            return 1
        fi
        echo "activate-tinytorch: creating $venv and installing TinyTorch (first use only)..."
        if [ ! -x "$venv/bin/python" ]; then
            "$python" -m venv "$venv" || return 1
        fi
        "$venv/bin/python" -m pip install --quiet --upgrade pip || return 1
        if ! "$venv/bin/python" -m pip install --quiet -e "$root[dev]"; then
            echo "activate-tinytorch: installing failed; fix the error above and" \
                "source this script again" >&2
            return 1
        fi
        touch "$stamp"
    fi

    # shellcheck disable=SC1091
    . "$venv/bin/activate" || return 1
    echo "activate-tinytorch: TinyTorch environment active ($(python --version))"
}

_tinytorch_setup
_tinytorch_status=$?
unset -f _tinytorch_setup
# `return` works when the script is sourced; `exit` covers running it directly.
return $_tinytorch_status 2>/dev/null || exit $_tinytorch_status
