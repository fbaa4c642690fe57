# Shared by bench/run.sh and bench/instructions.sh (sourced, not run): the
# generated data sets and the two programs measured.
#   sample_args SHAPE SIZE   the `statbrief sample` arguments of a set
#   ensure_set ROOT SHAPE SIZE   generates ROOT/SHAPE-SIZE once (kept for reruns)
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/statbrief-target}"
cargo build --release --quiet --bin statbrief --example calamine_decode
bin="$CARGO_TARGET_DIR/release/statbrief"
base="$CARGO_TARGET_DIR/release/examples/calamine_decode"

sample_args() {
  case "$1/$2" in
    county/tenth) echo "--scale 30" ;;
    county/full) echo "--scale 300" ;;
    province/tenth) echo "--shape province --scale 1" ;;
    province/full) echo "--shape province --scale 10" ;;
  esac
}

ensure_set() {
  local data="$1/$2-$3"
  if [ ! -f "$data/.complete" ]; then
    rm -rf "$data"
    # shellcheck disable=SC2046
    "$bin" sample --out "$data" $(sample_args "$2" "$3") >/dev/null
    touch "$data/.complete"
  fi
}
