# Sourced by the scripts that build (test, fuzz, demo, bench) from the checkout's root.
# Compiles through ccache when it is installed (scripts/setup installs it), so a clean clone on a
# machine that has built lisa before -- CI's case -- recompiles only what changed. The cache is the
# user's own (~/.cache/ccache unless CCACHE_DIR says otherwise); paths are hashed relative to the
# checkout, so two clones in different folders share entries. LISA_NO_CCACHE=1 turns it off; a
# launcher already chosen by the caller is kept. Takes effect when a build folder is first
# configured.
if [ -z "${LISA_NO_CCACHE:-}" ] && command -v ccache >/dev/null 2>&1; then
  export CMAKE_CXX_COMPILER_LAUNCHER="${CMAKE_CXX_COMPILER_LAUNCHER:-ccache}"
  export CMAKE_C_COMPILER_LAUNCHER="${CMAKE_C_COMPILER_LAUNCHER:-ccache}"
  export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}"
  export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"
  export CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-8G}"
fi
