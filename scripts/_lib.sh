# shellcheck shell=bash
# Shared helpers for the scripts in this folder. Source it, do not run it.
#
# It never installs or fetches Odoo: Odoo 19 must be importable as `odoo` by
# `python3` (see README, "Tests").

CAV_MODULE=crm_activity_verification
CAV_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CAV_LOCAL="$CAV_ROOT/.local"
# Odoo and pytest-odoo need the addon in a folder named after the module, while
# the checkout may have any name. So an addons dir holds the link
# crm_activity_verification -> the checkout. It lives OUTSIDE the checkout: a
# link to the checkout from inside it would be a cycle, and Odoo's term export
# (os.walk(followlinks=True) over the module) would loop through it.
cav_root_hash="$(printf '%s' "$CAV_ROOT" | sha1sum | cut -c1-10)"
CAV_ADDONS_LINK_DIR="${CAV_ADDONS_DIR:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/crm_activity_verification/addons-$cav_root_hash}"
CAV_ADDON_DIR="$CAV_ADDONS_LINK_DIR/$CAV_MODULE"
CAV_CONF="$CAV_LOCAL/odoo.conf"

: "${CAV_DB_HOST:=127.0.0.1}"
: "${CAV_DB_PORT:=5433}"
: "${CAV_DB_USER:=odoo}"
: "${CAV_DB_PASSWORD:=odoo}"
: "${CAV_HTTP_PORT:=8069}"
export CAV_DB_HOST CAV_DB_PORT CAV_DB_USER CAV_DB_PASSWORD CAV_HTTP_PORT

# shellcheck disable=SC2034  # used by scripts/test
# The tools of scripts/test and .pre-commit-config.yaml, pinned here and nowhere
# else; scripts/test pip-installs them when a pin is not met (Python 3.10+;
# checked with Python 3.11).
CAV_PIP_TOOLS=(
    "pre-commit==4.7.0"                 # runs the lint hooks of .pre-commit-config.yaml
    "ruff==0.17.6"
    "pylint==4.0.10"
    "pylint-odoo==10.0.12"
    "oca-odoo-pre-commit-hooks==0.2.27" # oca-checks-odoo-module, oca-checks-po
    "manifestoo==1.1"                   # licenses of the dependencies, dev status
    "whool==1.3.1"                      # the wheel
    "pytest==9.0.3"
    "pytest-odoo==2.3.0"
    "pytest-timeout==2.4.0"
    "pytest-rerunfailures==16.7"        # one rerun in Odoo's own suites (step f)
    "checklog-odoo==1.0"                # install logs (step d; checklog-odoo.cfg)
    "click-odoo==1.8.0"
    "click-odoo-contrib==1.24"          # click-odoo-dropdb, click-odoo-makepot
)

# shellcheck disable=SC2034  # used by scripts/test
# B-5: OCA's quality apps, which the addon works with when a dealership installs them
# (no dependency). scripts/test pip-installs these wheels with --no-deps into a folder of
# its own ($CAV_OCA_DIR, never the Odoo tree nor site-packages) for its *_oca database.
# That folder is outside the checkout, as the addons link: Odoo's term export walks the
# module's folder, and would take their terms for the addon's.
# mgmtsystem_nonconformity needs mgmtsystem_action and document_page_procedure, which
# need mgmtsystem, document_page and document_knowledge (their manifests).
CAV_OCA_WHEELS=(
    "odoo-addon-mgmtsystem-nonconformity==19.0.1.0.1.4"
    "odoo-addon-mgmtsystem-action==19.0.1.0.1.3"
    "odoo-addon-mgmtsystem==19.0.1.2.0.4"
    "odoo-addon-document-page-procedure==19.0.1.0.1.1"
    "odoo-addon-document-page==19.0.1.0.2"
    "odoo-addon-document-knowledge==19.0.1.0.1.1"
    "odoo-addon-crm-claim==19.0.1.0.1"
)
CAV_OCA_MODULES="mgmtsystem_nonconformity,crm_claim"
CAV_OCA_DIR="${CAV_OCA_ADDONS_DIR:-$(dirname "$CAV_ADDONS_LINK_DIR")/oca-addons-$cav_root_hash}"

# Print the comment block at the top of script $1 (its usage).
cav_usage() { awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$1"; }

cav_say() { printf '%s\n' "$*"; }
cav_err() { printf '%s\n' "$*" >&2; }
cav_header() { printf '\n==== %s ====\n' "$*"; }

# True when `python3` imports Odoo 19.*; otherwise prints why on stderr.
cav_odoo_ok() {
    local out
    if ! out="$(python3 -c 'import odoo.release as r; print(r.version)' 2>&1)"; then
        cav_err "python3 cannot import odoo.release: ${out##*$'\n'}"
        return 1
    fi
    case "$out" in
        19.*) return 0 ;;
        *) cav_err "python3 imports Odoo $out, but Odoo 19.* is required."; return 1 ;;
    esac
}

cav_odoo_install_help() {
    cat >&2 <<'EOF'
Odoo 19 is needed: `python3 -c "import odoo.release"` must work and report 19.*.
Install it from its official sources, for example:
  git clone --depth 1 --branch 19.0 https://github.com/odoo/odoo.git /opt/odoo19
  pip install -r /opt/odoo19/requirements.txt phonenumbers websocket-client
  python3 -c 'import site; print(site.getsitepackages()[0])'   # then, in that dir:
  echo /opt/odoo19 > <site-packages>/odoo19.pth
or install the official nightly package "odoo_19.0.latest_all.deb" from
https://nightly.odoo.com/19.0/nightly/deb/ (apt-get install ./odoo_19.0.latest_all.deb).
You also need PostgreSQL (scripts/pg-ensure starts one), and for the browser
tests and PDF reports chromium, wkhtmltopdf and poppler-utils.
EOF
}

# Directory of the `odoo` package (a namespace package in 19: no __file__).
cav_odoo_pkg_dir() {
    python3 -c 'import odoo, os; print(os.path.realpath(list(odoo.__path__)[0]))'
}

# Odoo's standard addons: the `addons` dir next to the package.
cav_odoo_std_addons() {
    local pkg
    pkg="$(cav_odoo_pkg_dir)"
    printf '%s\n' "$(dirname "$pkg")/addons"
}

# The prefork server's long-polling worker needs gevent, whose plugin loader resolves
# its dependencies with pkg_resources: an old setuptools does not find the metadata of
# the newest zope.event and zope.interface wheels (zope_interface-8.x.dist-info), and
# the worker dies at start. Install Debian 12's versions (those of Odoo's gevent pin
# 22.10.2) when gevent's requirements do not resolve.
cav_ensure_gevent() {
    python3 -c 'import pkg_resources; pkg_resources.require("gevent")' 2>/dev/null ||
        cav_pip_install "zope.event==4.6" "zope.interface==5.5.2"
}

# The command that starts Odoo's server, as an array in CAV_ODOO_CMD: the prefork server
# starts its long-polling (gevent) worker as `sys.argv[0] gevent`, which `python3 -m
# odoo` cannot be; so odoo-bin next to the package, else the `odoo` script, else -m.
# shellcheck disable=SC2034  # used by scripts/demo and scripts/bench
cav_odoo_cmd() {
    local bin
    bin="$(dirname "$(cav_odoo_pkg_dir)")/odoo-bin"
    if [ -f "$bin" ]; then
        CAV_ODOO_CMD=(python3 "$bin")
    elif command -v odoo >/dev/null; then
        CAV_ODOO_CMD=(odoo)
    else
        CAV_ODOO_CMD=(python3 -m odoo)
    fi
}

# Make $CAV_ADDONS_LINK_DIR/crm_activity_verification -> the checkout.
cav_make_link() {
    mkdir -p "$CAV_ADDONS_LINK_DIR" "$CAV_LOCAL/data"
    if [ ! -L "$CAV_ADDON_DIR" ] || [ "$(readlink "$CAV_ADDON_DIR")" != "$CAV_ROOT" ]; then
        # atomic replace (rename): scripts/test runs two Odoo processes side by side
        local tmp_link="$CAV_ADDON_DIR.$BASHPID.$RANDOM"
        ln -sfn "$CAV_ROOT" "$tmp_link"
        mv -Tf "$tmp_link" "$CAV_ADDON_DIR"
    fi
}

# Write .local/odoo.conf. $1 = max_cron_threads (default 0).
cav_write_conf() {
    local crons="${1:-0}" pkg std addons
    cav_make_link
    pkg="$(cav_odoo_pkg_dir)"
    std="$(dirname "$pkg")/addons"
    addons="$CAV_ADDONS_LINK_DIR"
    [ -d "$std" ] && addons="$addons,$std"
    [ -d "$pkg/addons" ] && addons="$addons,$pkg/addons"
    # a temporary file of its own, renamed into place: two runs may write it at once
    local tmp
    tmp="$(mktemp "$CAV_CONF.XXXXXX")"
    cat > "$tmp" <<EOF
; Generated by scripts/odoo; do not edit (it is rewritten on each run).
[options]
db_host = $CAV_DB_HOST
db_port = $CAV_DB_PORT
db_user = $CAV_DB_USER
db_password = $CAV_DB_PASSWORD
http_interface = 127.0.0.1
http_port = $CAV_HTTP_PORT
max_cron_threads = $crons
addons_path = $addons
data_dir = $CAV_LOCAL/data
admin_passwd = admin
EOF
    mv -f "$tmp" "$CAV_CONF"
}

# The options of a production-like Odoo server (README "Deployment", which says why
# each value): $1 HTTP workers (prefork), one cron worker, behind a reverse proxy on
# this machine, with the limits a real deployment sets. The long-polling (gevent)
# worker listens on $CAV_GEVENT_PORT (default $CAV_HTTP_PORT + 3, as 8069 and 8072).
# Sets the array CAV_PROD_ARGS.
# shellcheck disable=SC2034  # used by scripts/demo and scripts/bench
cav_production_args() {
    local workers="$1"
    CAV_PROD_ARGS=(
        --workers="$workers"
        --max-cron-threads=1
        --proxy-mode
        --http-interface=127.0.0.1
        --gevent-port="${CAV_GEVENT_PORT:-$((CAV_HTTP_PORT + 3))}"
        --limit-time-cpu=60
        --limit-time-real=120
        --limit-memory-soft=$((1024 * 1024 * 1024))
        --limit-memory-hard=$((2560 * 1024 * 1024))
        --limit-request=8192
        --db_maxconn=8
        --no-database-list
    )
}

# Run psql against the Odoo server as the Odoo role (extra args appended).
cav_psql() {
    PGPASSWORD="$CAV_DB_PASSWORD" PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -h "$CAV_DB_HOST" -p "$CAV_DB_PORT" \
        -U "$CAV_DB_USER" -d postgres "$@"
}

cav_db_exists() {
    [ "$(cav_psql -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'")" = "1" ]
}

cav_db_drop() {
    cav_psql -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)"
    rm -rf "$CAV_LOCAL/data/filestore/$1"
}

# pip install the given requirements, quietly, only if something is missing.
cav_pip_install() {
    local out rc=0
    out="$(python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
        "$@" 2>&1)" || rc=$?
    if [ "$rc" != 0 ]; then
        printf '%s\n' "$out" >&2
        cav_err "pip install $* failed."
    fi
    return "$rc"
}

# apt-get install packages (as root only), updating the lists once.
cav_apt_install() {
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
        cav_err "Cannot install $* (not root or no apt-get): install it by hand."
        return 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    if [ -z "${CAV_APT_UPDATED:-}" ]; then
        apt-get update -qq >/dev/null
        CAV_APT_UPDATED=1
    fi
    apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
